import { once } from 'node:events';
import {
  connect,
  createServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';

/**
 * The port clients of the EventStoreDB test double dial. It relays bytes
 * to the gRPC server, so shutting it resets live TCP connections the way a
 * crash does, which a graceful gRPC shutdown would not.
 */
export class FrontDoor {
  port = 0;
  private readonly sockets = new Set<Socket>();
  private listener: NetServer | undefined;

  constructor(private readonly serverPort: number) {}

  async open(port: number): Promise<void> {
    const listener = createServer((socket) => this.relay(socket));
    listener.listen(port, '127.0.0.1');
    await once(listener, 'listening');

    this.listener = listener;
    this.port = (listener.address() as AddressInfo).port;
  }

  async shut(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    for (const socket of this.sockets) socket.resetAndDestroy();
    if (listener) await new Promise((done) => listener.close(done));
  }

  private relay(socket: Socket): void {
    const server = connect(this.serverPort, '127.0.0.1');
    for (const end of [socket, server]) {
      this.sockets.add(end);
      end.on('close', () => this.sockets.delete(end));
      end.on('error', () => {
        socket.destroy();
        server.destroy();
      });
    }

    socket.pipe(server).pipe(socket);
  }
}
