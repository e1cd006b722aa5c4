import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { repositoryRoot, startChildServer } from './child-server.js';
import type { ChildServer } from './child-server.js';

const run = promisify(execFile);

/** The account every request of the bench uses. */
export const benchAccount = {
  tenant: 'bench',
  username: 'bench-admin',
  password: 'a long benchmark password',
};

export interface ServiceUnderTest {
  server: ChildServer;
  /** A session token of the bench account, for `GET /v1/me`. */
  token: string;
  logFile: string;
}

export interface ServiceOptions {
  /** Settings on top of the embedded default, such as HAKKIRI_* flags. */
  env?: Record<string, string>;
  /** Options for node, such as `--cpu-prof` to profile the service. */
  nodeArguments?: readonly string[];
}

/**
 * The service as `npm start` runs it, on the embedded SQLite stores in a
 * fresh data folder, with the default log level: every request is logged,
 * as in production. The tenant and its admin are made first with the CLI,
 * as an operator would.
 */
export async function startServiceUnderTest(
  dir: string,
  options: ServiceOptions = {},
): Promise<ServiceUnderTest> {
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const env = { ...serviceEnvironment(dataDir), ...options.env };
  await createBenchTenant(env);

  const logFile = path.join(dir, 'service.log');
  const server = await startChildServer({
    script: 'src/main.ts',
    env,
    logFile,
    ...(options.nodeArguments ? { nodeArguments: options.nodeArguments } : {}),
  });
  try {
    return { server, token: await logIn(server.url), logFile };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The embedded default, whatever servers the shell was given. */
function serviceEnvironment(dataDir: string): Record<string, string> {
  const {
    MONGODB_URL: _mongo,
    EVENTSTORE_URL: _esdb,
    ...inherited
  } = process.env as Record<string, string>;

  return {
    ...inherited,
    NODE_ENV: 'development',
    HAKKIRI_DATA_DIR: dataDir,
    HAKKIRI_PORT: '0',
    HAKKIRI_LOG_LEVEL: 'info',
  };
}

async function createBenchTenant(env: Record<string, string>) {
  const { tenant, username, password } = benchAccount;
  const args = ['tenant', 'create', '--slug', tenant, '--name', 'Bench'];

  await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli/hakkiri.ts', ...args, '--admin', username],
    {
      cwd: repositoryRoot,
      env: { ...env, HAKKIRI_ADMIN_PASSWORD: password },
    },
  );
}

/** The projection may still be catching up on the CLI's events. */
async function logIn(url: string): Promise<string> {
  const deadline = Date.now() + 15_000;

  for (;;) {
    const response = await fetch(`${url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(benchAccount),
    });
    const body = (await response.json()) as { token?: string };
    if (response.status === 201 && body.token) return body.token;
    if (Date.now() > deadline) {
      throw new Error(`bench login: ${response.status}`);
    }

    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
