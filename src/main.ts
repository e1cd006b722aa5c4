import { createServer as createHttpServer } from 'node:http';
import type { RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { pathToFileURL } from 'node:url';

import { createApp } from './api/app.js';
import { eventStoreProbe, readStoreProbe } from './api/readiness.js';
import { ConfigError, loadConfig } from './config/config.js';
import type { Config } from './config/config.js';
import { checkTransport } from './config/transport-settings.js';
import type { TlsFiles } from './config/transport-settings.js';
import { createLogger } from './logger.js';
import type { Logger } from './ports/logger.js';
import { ProjectionThread } from './projection-thread.js';
import { serviceApi } from './service-api.js';
import type { ApiFactory, BackgroundWork } from './service-api.js';
import { openStores } from './service-stores.js';
import type { OpenStores } from './service-stores.js';

export interface RunningService extends Omit<OpenStores, 'close'> {
  url: string;
  projections: ProjectionThread;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  api?: ApiFactory;
}

/** The composition root: config in, adapters wired to ports, server up. */
export async function startService(
  config: Config,
  logger: Logger,
  { api = serviceApi }: ServiceOptions = {},
): Promise<RunningService> {
  // Checked again here for configs built in code rather than loaded.
  checkTransport(config);

  const stores = await openStores(config, logger);
  const { eventStore, readStore, close } = stores;
  let projections: ProjectionThread;
  try {
    projections = await ProjectionThread.start({ stores: config, logger });
  } catch (error) {
    await close();
    throw error;
  }
  const closeStores = async () => {
    await projections.stop();
    await close();
  };

  let server: Server;
  let background: BackgroundWork | undefined;
  try {
    const wiring = await api({
      ...stores,
      config,
      logger,
      runner: projections,
    });
    const app = createApp({
      logger,
      ...wiring,
      readiness: [eventStoreProbe(eventStore), readStoreProbe(readStore)],
      bodyLimitBytes: config.bodyLimitBytes,
      transport: {
        tls: config.tls !== undefined,
        trustProxy: config.trustProxy,
      },
    });
    background = wiring.background;
    server = await listen(app.callback(), config);
  } catch (error) {
    await background?.stop();
    await closeStores();
    throw error;
  }
  background?.start();

  const { port } = server.address() as AddressInfo;
  const scheme = config.tls ? 'https' : 'http';
  const url = `${scheme}://${hostForUrl(config.host)}:${port}`;
  logger.info(
    {
      url,
      eventStore: config.eventStore.kind,
      readStore: config.readStore.kind,
    },
    `listening on ${url}`,
  );

  return {
    ...stores,
    url,
    projections,
    // In-flight requests finish first, then syncs stop between pages,
    // then the projections store their last checkpoints, then the
    // stores close.
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await background?.stop();
      await closeStores();
    },
  };
}

function listen(
  handler: RequestListener,
  config: Pick<Config, 'host' | 'port' | 'tls'>,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serverFor(handler, config.tls);
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve(server));
  });
}

/** With a certificate the server speaks HTTPS only, never plain HTTP. */
function serverFor(
  handler: RequestListener,
  tls: TlsFiles | undefined,
): Server {
  if (tls === undefined) return createHttpServer(handler);

  return createHttpsServer(
    { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' },
    handler,
  );
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`hakkiri: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }

  const logger = createLogger({ level: config.logLevel });
  const service = await startService(config, logger);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

const runDirectly =
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href;

if (runDirectly) await main();
