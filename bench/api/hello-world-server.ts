import type { AddressInfo } from 'node:net';

import Koa from 'koa';

/**
 * The baseline: a plain Koa app with one middleware answering a tiny JSON
 * body, nothing else. It prints its URL as a JSON line, as the service
 * logs it, and exits on SIGTERM once its connections are closed.
 */
const app = new Koa();
app.use((ctx) => {
  ctx.body = { hello: 'world' };
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});

process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
