import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type Koa from 'koa';

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** Serves a Koa app through `app.callback()` on an ephemeral port. */
export async function serve(app: Koa): Promise<ServedApp> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON request body as fetch options. */
export function jsonBody(
  body: unknown,
  method = 'POST',
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}
