import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { identityServices } from '../../src/api/identity/identity-services.js';
import { loadConfig } from '../../src/config/config.js';
import { Argon2PasswordHasher } from '../../src/crypto/argon2-password-hasher.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { startService } from '../../src/main.js';
import type { RunningService } from '../../src/main.js';
import type { Logger } from '../../src/ports/logger.js';
import type { JiraDouble } from '../doubles/jira/jira-double.js';
import { pause } from './waiting.js';

export const password = 'correct horse battery';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A connection as its creator sees it once: with its webhook secret. */
export interface WebhookConnection {
  id: string;
  secret: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The whole service, as `npm start` wires it, in this process on a
 * temporary data folder, with two tenants: acme (admin alice, analyst
 * ann) and globex (admin gina). Connections may reach loopback, so a
 * Jira double can stand in for Jira.
 */
export async function serviceApi(
  env: Record<string, string> = {},
  logger: Logger = process.env['TEST_LOG']
    ? createLogger({ level: 'debug' })
    : silentLogger(),
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-service-'));
  const config = loadConfig({
    HAKKIRI_DATA_DIR: dir,
    HAKKIRI_PORT: '0',
    HAKKIRI_ALLOW_PRIVATE_TARGETS: 'true',
    HAKKIRI_SYNC_INTERVAL: 'off',
    HAKKIRI_PUBLIC_URL: 'http://127.0.0.1:3000',
    ...env,
  });
  const service = await startService(config, logger);
  const identity = identityServices({
    eventStore: service.eventStore,
    readStore: service.readStore,
    logger,
    hasher: new Argon2PasswordHasher(),
    blindIndex: service.encryption.blindIndex,
    tenantKeys: service.encryption.keyring,
    sessionSecret: Buffer.alloc(32, 1),
    sessionTtlMinutes: 15,
  });

  async function call(
    method: string,
    route: string,
    options: CallOptions = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
    }

    const response = await fetch(service.url + route, {
      method,
      headers,
      body:
        typeof options.body === 'string' || Buffer.isBuffer(options.body)
          ? options.body
          : options.body === undefined
            ? undefined
            : JSON.stringify(options.body),
    });
    const text = await response.text();

    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  async function login(tenant: string, username: string): Promise<string> {
    const answer = await call('POST', '/v1/sessions', {
      body: { tenant, username, password },
    });
    if (answer.status !== 201) {
      throw new Error(`login of ${username} answered ${answer.status}`);
    }

    return answer.body.token as string;
  }

  async function tenant(slug: string, users: [string, 'admin' | 'analyst'][]) {
    const { tenantId } = await identity.tenants.create(
      { slug, displayName: slug, egressAddresses: [] },
      'seed',
    );
    for (const [username, role] of users) {
      const user = await identity.users.create(
        { tenantId, requestId: 'seed' },
        { username, password, role },
      );
      await identity.applied(user.position);
    }

    return { tenantId };
  }

  /**
   * Creates a connection to a Jira double as an admin would, and gives
   * its id and the webhook secret shown once.
   */
  async function connect(
    token: string,
    jira: Pick<
      JiraDouble,
      'kind' | 'baseUrl' | 'credentials' | 'caCertificate'
    >,
  ): Promise<WebhookConnection> {
    const created = await call('POST', '/v1/connections', {
      token,
      body: {
        kind: jira.kind,
        name: `Jira (${jira.kind})`,
        baseUrl: jira.baseUrl,
        credentials: jira.credentials,
        caCertificate: jira.caCertificate,
      },
    });
    if (created.status !== 201) {
      throw new Error(`connection answered ${JSON.stringify(created.body)}`);
    }
    const webhook = created.body.webhook as { secret: string };

    return { id: created.body.id as string, secret: webhook.secret };
  }

  /** Waits until every projection has applied the whole log. */
  async function settled(): Promise<void> {
    const head = (await service.eventStore.headPosition()) ?? 0n;
    const deadline = Date.now() + 20_000;
    const behind = async () =>
      (await service.projections.status()).some(
        (status) => BigInt(status.checkpoint ?? -1) < head,
      );

    while (await behind()) {
      if (Date.now() > deadline) throw new Error('projections lag');
      await pause(20);
    }
  }

  const acme = await tenant('acme', [
    ['alice', 'admin'],
    ['ann', 'analyst'],
  ]);
  const globex = await tenant('globex', [['gina', 'admin']]);

  return {
    service: service as RunningService,
    dir,
    call,
    login,
    connect,
    settled,
    acme,
    globex,
    dispose: async () => {
      await service.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ServiceApi = Awaited<ReturnType<typeof serviceApi>>;
