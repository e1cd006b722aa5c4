import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

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
    const match = /listening on (http:\/\/[^"\s]+)/.exec(
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
