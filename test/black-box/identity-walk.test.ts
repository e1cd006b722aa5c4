import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { BlackBoxService } from '../support/black-box-service.js';

/**
 * The service as the README starts it: `npm start` on a fresh data folder,
 * a tenant made with the CLI, then a walk through the API over HTTP.
 */
describe('black box: npm start and the hakkiri CLI', function () {
  this.timeout(90_000);

  let dataDir: string;
  // The embedded default, whatever stores the suite itself was given.
  const service = new BlackBoxService(() => ({
    MONGODB_URL: '',
    EVENTSTORE_URL: '',
    NODE_ENV: 'development',
    HAKKIRI_DATA_DIR: dataDir,
    HAKKIRI_PORT: '0',
    HAKKIRI_LOG_LEVEL: 'info',
  }));

  before(async function () {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-black-box-'));
    await service.start();
  });

  after(async function () {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('walks from tenant creation to logout', async function () {
    const password = 'the first admin password';
    await service.cli(
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

    const alice = await service.login('acme', 'alice', password);
    const me = await service.call('GET', '/v1/me', { token: alice });
    expect(me.body).to.include({
      tenant: 'acme',
      username: 'alice',
      role: 'admin',
    });

    const created = await service.call('POST', '/v1/users', {
      token: alice,
      body: {
        username: 'bob',
        password: 'bob the analyst here',
        role: 'analyst',
      },
    });
    expect(created.status).to.equal(201);

    const bob = await service.login('acme', 'bob', 'bob the analyst here');
    expect(
      (await service.call('GET', '/v1/users', { token: bob })).status,
    ).to.equal(403);

    expect(
      (await service.call('DELETE', '/v1/sessions/current', { token: alice }))
        .status,
    ).to.equal(204);
    expect(
      (await service.call('GET', '/v1/me', { token: alice })).status,
    ).to.equal(401);
  });

  it('prints a generated admin password once, and it works', async function () {
    const { stdout } = await service.cli(
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

    const token = await service.login('globex', 'gina', password!);
    const me = await service.call('GET', '/v1/me', { token });
    expect(me.body).to.include({ tenant: 'globex', role: 'admin' });
  });

  it('refuses a taken slug from the CLI, with exit code 1', async function () {
    const refused = await service
      .cli(
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
      )
      .then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );

    expect(refused?.code).to.equal(1);
    expect(refused?.stderr).to.match(/Tenant already exists/);
  });
});
