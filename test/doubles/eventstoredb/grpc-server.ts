import {
  Server,
  ServerCredentials,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

import { serveFeatures } from './features-handler.js';
import { ServerFeaturesService, StreamsService } from './generated-protocol.js';

/**
 * The gRPC server of the EventStoreDB test double, on a free local port:
 * the given Streams handlers, and ServerFeatures.
 */
export async function serve(
  streams: UntypedServiceImplementation,
): Promise<{ instance: Server; port: number }> {
  const instance = new Server();
  instance.addService(StreamsService, streams);
  instance.addService(ServerFeaturesService, {
    getSupportedMethods: serveFeatures,
  });

  const port = await new Promise<number>((resolve, reject) =>
    instance.bindAsync(
      '127.0.0.1:0',
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );

  return { instance, port };
}
