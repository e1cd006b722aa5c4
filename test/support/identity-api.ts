import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { Server } from 'node:http';

import { buildApi } from '../../src/api/app.js';
import { identityRoutes } from '../../src/api/identity/identity-routes.js';
import type { RouteDefinition } from '../../src/api/route-definition.js';
import type { Logger } from '../../src/ports/logger.js';
import type { Projection } from '../../src/projections/projection.js';
import { silentLogger } from '../../src/logger.js';
import { identityFixture } from './identity-fixture.js';
import type { IdentityFixture } from './identity-fixture.js';

export const password = 'correct horse battery';

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** More of the service beside identity: its projections and routes. */
export interface ApiExtension {
  projections: Projection[];
  routes(fixture: IdentityFixture): RouteDefinition[];
}

/**
 * The identity API over real stores on an ephemeral port, with two
 * tenants: acme (admin alice) and globex (admin gina).
 */
export async function identityApi(
  logger: Logger = silentLogger(),
  extension?: ApiExtension,
) {
  const f = await identityFixture(logger, extension?.projections);
  const { app } = buildApi({
    logger,
    routes: [
      ...identityRoutes(f, 'https://hakkiri.example/'),
      ...(extension?.routes(f) ?? []),
    ],
    authenticator: f.authenticator,
  });
  const server = await listen(app.callback());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined)
      headers['content-type'] ??= 'application/json';

    const response = await fetch(base + path, {
      method,
      headers,
      body:
        typeof options.body === 'string' || options.body === undefined
          ? options.body
          : JSON.stringify(options.body),
    });
    const text = await response.text();

    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  async function tenant(slug: string, admin: string, egress: string[] = []) {
    const { tenantId } = await f.tenants.create(
      { slug, displayName: slug, egressAddresses: egress },
      'seed',
    );
    const user = await f.users.create(
      { tenantId, requestId: 'seed' },
      { username: admin, password, role: 'admin' },
    );
    await f.applied(user.position);

    return { tenantId, adminId: user.userId };
  }

  async function login(tenant: string, username: string, pass = password) {
    const answer = await call('POST', '/v1/sessions', {
      body: { tenant, username, password: pass },
    });
    if (answer.status !== 201) {
      throw new Error(`login of ${username} answered ${answer.status}`);
    }

    return answer.body.token as string;
  }

  const acme = await tenant('acme', 'alice', ['203.0.113.7']);
  const globex = await tenant('globex', 'gina');

  return {
    f,
    call,
    login,
    acme,
    globex,
    dispose: async () => {
      await new Promise((resolve) => server.close(resolve));
      await f.dispose();
    },
  };
}

export type IdentityApi = Awaited<ReturnType<typeof identityApi>>;

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
