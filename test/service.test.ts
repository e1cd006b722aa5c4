import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { RouteDefinitionError } from '../src/api/route-checks.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { silentLogger } from '../src/logger.js';
import { startService } from '../src/main.js';
import type { RunningService } from '../src/main.js';
import type { ServiceParts } from '../src/service-api.js';
import { sampleRoutes, testAuthenticator } from './api/sample-routes.js';
import { selfSignedCertificate } from './api/tls-files.js';
import type { TestCertificate } from './api/tls-files.js';
import { rejectionOf } from './support/rejection.js';

interface Started {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

function startMain(env: Record<string, string>): Started {
  // The embedded default, whatever servers the test run itself was given.
  const {
    MONGODB_URL: _mongo,
    EVENTSTORE_URL: _esdb,
    ...inherited
  } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...inherited, HAKKIRI_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  return { child, stdout, stderr, exited };
}

async function waitForUrl(started: Started): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const match = /listening on (https?:\/\/[^"\s]+)/.exec(
      started.stdout.join(''),
    );
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  throw new Error(`no URL printed; stderr: ${started.stderr.join('')}`);
}

describe('the service process', function () {
  this.timeout(30_000);
  let dataDir: string;
  let started: Started | undefined;

  beforeEach(function () {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-main-'));
  });

  afterEach(function () {
    started?.child.kill('SIGKILL');
    started = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints its URL, answers /healthz, and stops on SIGTERM', async function () {
    started = startMain({ HAKKIRI_DATA_DIR: dataDir, HAKKIRI_PORT: '0' });

    const url = await waitForUrl(started);
    const response = await fetch(`${url}/healthz`);
    started.child.kill('SIGTERM');

    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 'ok' });
    expect(await started.exited).to.equal(0);
    expect(fs.existsSync(path.join(dataDir, 'events.sqlite'))).to.equal(true);
    expect(fs.existsSync(path.join(dataDir, 'read-models.sqlite'))).to.equal(
      true,
    );
  });

  it('refuses plain HTTP beyond loopback with one line that names the host', async function () {
    started = startMain({ HAKKIRI_DATA_DIR: dataDir, HAKKIRI_HOST: '0.0.0.0' });

    const code = await started.exited;

    expect(code).to.equal(2);
    expect(started.stderr.join('')).to.match(
      /^hakkiri: invalid configuration: HAKKIRI_HOST: is not a loopback address[^\n]*\n$/,
    );
    expect(fs.existsSync(path.join(dataDir, 'events.sqlite'))).to.equal(false);
  });

  it('refuses a bad setting with one line that names it', async function () {
    started = startMain({ HAKKIRI_DATA_DIR: dataDir, HAKKIRI_PORT: 'abc' });

    const code = await started.exited;

    expect(code).to.equal(2);
    expect(started.stderr.join('')).to.equal(
      'hakkiri: invalid configuration: HAKKIRI_PORT: must be a port number\n',
    );
    expect(started.stdout.join('')).to.equal('');
  });
});

interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A GET over HTTPS that trusts only the given certificate. */
function httpsGet(url: string, ca: Buffer): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    request.on('error', reject);
  });
}

describe('startService', function () {
  this.timeout(30_000);
  let dataDir: string;
  let service: RunningService | undefined;

  beforeEach(function () {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-start-'));
  });

  afterEach(async function () {
    await service?.stop();
    service = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe('with a certificate', function () {
    let certificate: TestCertificate;

    before(function () {
      certificate = selfSignedCertificate();
    });

    after(function () {
      certificate.dispose();
    });

    it('speaks HTTPS only, with HSTS, and is ready on its stores', async function () {
      const config = loadConfig({
        HAKKIRI_DATA_DIR: dataDir,
        HAKKIRI_PORT: '0',
        HAKKIRI_TLS_CERT: certificate.certFile,
        HAKKIRI_TLS_KEY: certificate.keyFile,
      });

      service = await startService(config, silentLogger());
      const health = await httpsGet(`${service.url}/healthz`, certificate.cert);
      const ready = await httpsGet(`${service.url}/readyz`, certificate.cert);
      const plain = service.url.replace(/^https:/, 'http:');

      expect(service.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(health.status).to.equal(200);
      expect(health.headers['strict-transport-security']).to.match(
        /max-age=\d{8,}; includeSubDomains/,
      );
      expect(JSON.parse(ready.body)).to.deep.equal({
        status: 'ready',
        checks: { eventStore: 'up', readStore: 'up' },
      });
      expect(await rejectionOf(fetch(`${plain}/healthz`))).to.be.instanceOf(
        Error,
      );
    });
  });

  it('refuses to bind beyond loopback without TLS, before opening a store', async function () {
    const config = {
      ...loadConfig({ HAKKIRI_DATA_DIR: dataDir, HAKKIRI_PORT: '0' }),
      host: '0.0.0.0',
    };

    const error = await rejectionOf(startService(config, silentLogger()));

    expect(error).to.be.instanceOf(ConfigError);
    expect(error).to.have.property('variable', 'HAKKIRI_HOST');
    expect(fs.readdirSync(dataDir)).to.deep.equal([]);
  });

  it('serves the routes and authenticator the API factory wires in', async function () {
    const config = loadConfig({ HAKKIRI_DATA_DIR: dataDir, HAKKIRI_PORT: '0' });

    service = await startService(config, silentLogger(), {
      api: () => ({
        routes: sampleRoutes(),
        authenticator: testAuthenticator,
      }),
    });
    const response = await fetch(`${service.url}/v1/items/i-3`, {
      headers: { Authorization: 'Bearer analyst-token' },
    });
    const refused = await fetch(`${service.url}/v1/items/i-3`);

    expect(response.status).to.equal(200);
    expect(refused.status).to.equal(401);
  });

  it('closes the stores when the API cannot be built', async function () {
    const config = loadConfig({ HAKKIRI_DATA_DIR: dataDir, HAKKIRI_PORT: '0' });
    const twice = [...sampleRoutes(), ...sampleRoutes()];
    let stores: ServiceParts | undefined;

    const error = await rejectionOf(
      startService(config, silentLogger(), {
        api: (parts) => {
          stores = parts;
          return { routes: twice, authenticator: testAuthenticator };
        },
      }),
    );

    expect(error).to.be.instanceOf(RouteDefinitionError);
    expect(await stores!.readStore.ping()).to.equal(false);
  });
});
