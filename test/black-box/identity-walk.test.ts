import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';

import { expect } from 'chai';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/**
 * The service as the README starts it: `npm start` on a fresh data folder,
 * a tenant made with the CLI, then a walk through the API over HTTP.
 */
describe('black box: npm start and the hakkiri CLI', function () {
  this.timeout(90_000);

  let dataDir: string;
  let server: ChildProcess;
  let url: string;
  const env = () => ({
    ...process.env,
    NODE_ENV: 'development',
    HAKKIRI_DATA_DIR: dataDir,
    HAKKIRI_PORT: '0',
    HAKKIRI_LOG_LEVEL: 'info',
  });

  before(async function () {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-black-box-'));
    server = spawn('npm', ['start'], { cwd: root, env: env(), detached: true });
    url = await listeningUrl(server);
  });

  after(async function () {
    await stop(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(
    method: string,
    route: string,
    options: { token?: string; body?: unknown } = {},
  ) {
    const response = await fetch(url + route, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();

    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  }

  /** The CLI writes to the log in another process; the server catches up. */
  async function login(tenant: string, username: string, password: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await call('POST', '/v1/sessions', {
        body: { tenant, username, password },
      });
      if (answer.status === 201) return answer.body.token as string;
      if (Date.now() > deadline) throw new Error(`login: ${answer.status}`);

      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function cli(args: string[], extra: Record<string, string> = {}) {
    return run('npx', ['hakkiri', ...args], {
      cwd: root,
      env: { ...env(), ...extra },
    });
  }

  it('walks from tenant creation to logout', async function () {
    const password = 'the first admin password';
    await cli(
      [
        'tenant',
        'create',
        '--slug',
        'acme',
        '--name',
        'Acme',
        '--admin',
        'alice',
      ],
      {
        HAKKIRI_ADMIN_PASSWORD: password,
      },
    );

    const alice = await login('acme', 'alice', password);
    const me = await call('GET', '/v1/me', { token: alice });
    expect(me.body).to.include({
      tenant: 'acme',
      username: 'alice',
      role: 'admin',
    });

    const created = await call('POST', '/v1/users', {
      token: alice,
      body: {
        username: 'bob',
        password: 'bob the analyst here',
        role: 'analyst',
      },
    });
    expect(created.status).to.equal(201);

    const bob = await login('acme', 'bob', 'bob the analyst here');
    expect((await call('GET', '/v1/users', { token: bob })).status).to.equal(
      403,
    );

    expect(
      (await call('DELETE', '/v1/sessions/current', { token: alice })).status,
    ).to.equal(204);
    expect((await call('GET', '/v1/me', { token: alice })).status).to.equal(
      401,
    );
  });

  it('prints a generated admin password once, and it works', async function () {
    const { stdout } = await cli(
      [
        'tenant',
        'create',
        '--slug',
        'globex',
        '--name',
        'Globex',
        '--admin',
        'gina',
      ],
      {
        HAKKIRI_ADMIN_PASSWORD: '',
      },
    );
    const password = /shown once\): (\S+)/.exec(stdout)?.[1];
    expect(password).to.be.a('string');

    const token = await login('globex', 'gina', password!);
    const me = await call('GET', '/v1/me', { token });
    expect(me.body).to.include({ tenant: 'globex', role: 'admin' });
  });

  it('refuses a taken slug from the CLI, with exit code 1', async function () {
    const refused = await cli(
      [
        'tenant',
        'create',
        '--slug',
        'acme',
        '--name',
        'Again',
        '--admin',
        'zed',
      ],
      {
        HAKKIRI_ADMIN_PASSWORD: 'a long enough password',
      },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

    expect(refused?.code).to.equal(1);
    expect(refused?.stderr).to.match(/Tenant already exists/);
  });
});

/** Reads the server's JSON log until it says where it listens. */
function listeningUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: server.stdout! });
    lines.on('line', (line) => {
      const url = /"url":"([^"]+)"/.exec(line)?.[1];
      if (url) resolve(url);
    });
    server.once('exit', (code) => reject(new Error(`server exited: ${code}`)));
  });
}

/** npm runs node as its child: signal the whole group, then wait. */
function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve();

  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    process.kill(-server.pid!, 'SIGTERM');
  });
}
