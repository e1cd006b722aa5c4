import type { AddressInfo } from 'node:net';

import Koa from 'koa';

/**
 * The baseline: Koa answering a constant, on the same machine and in a
 * process of its own, as the service is.
 */
const app = new Koa();
app.use((ctx) => {
  ctx.body = { hello: 'world' };
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
