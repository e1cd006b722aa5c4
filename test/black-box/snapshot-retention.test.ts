import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { expect } from 'chai';

import { BlackBoxService } from '../support/black-box-service.js';

const password = 'the first admin password';

/** Whether faketime is on the PATH; .ci/run installs it from Debian. */
function faketimeInstalled(): boolean {
  try {
    execFileSync('faketime', ['-f', '+0d', 'true']);
    return true;
  } catch {
    return false;
  }
}

/**
 * The 90-day promise, on the real server with its real clock moved by
 * faketime: a snapshot survives a restart 89 days on; 91 days on the
 * CLI's sweep purges it, and the restarted server no longer lists it;
 * its ciphertext is then nowhere in the data folder.
 */
describe('black box: snapshots are deleted for good after 90 days', function () {
  this.timeout(180_000);

  let dataDir: string;
  const service = new BlackBoxService(() => ({
    MONGODB_URL: '',
    EVENTSTORE_URL: '',
    NODE_ENV: 'development',
    HAKKIRI_DATA_DIR: dataDir,
    HAKKIRI_PORT: '0',
    HAKKIRI_LOG_LEVEL: 'info',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  }));

  before(function () {
    if (!faketimeInstalled()) {
      expect.fail('faketime is not installed: apt-get install faketime');
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-retention-'));
  });

  after(async function () {
    await service.stop();
    fs.rmSync(dataDir ?? '', { recursive: true, force: true });
  });

  it('keeps a snapshot at 89 days, and leaves no trace of it at 91', async function () {
    await service.start();
    await service.cli(
      ['tenant', 'create', '--slug', 'acme', '--name', 'Acme', '--admin', 'al'],
      { HAKKIRI_ADMIN_PASSWORD: password },
    );
    const id = await takeSnapshot();
    const ciphertext = sealedChunkOf(id);
    await service.stop();
    expect(filesHolding(ciphertext)).to.not.deep.equal([]);

    await service.start(['faketime', '+89 days']);
    await service.logged('retention sweep done');
    expect(await keptIds()).to.include(id);
    await service.stop();

    const swept = await service.cli(['retention', 'sweep'], {}, [
      'faketime',
      '+91 days',
    ]);
    expect(swept.stdout).to.include('Purged 1 expired snapshots');

    await service.start(['faketime', '+91 days']);
    await service.logged('retention sweep done');
    expect(await keptIds()).to.not.include(id);
    await service.stop();

    expect(filesHolding(ciphertext)).to.deep.equal([]);
  });

  async function takeSnapshot(): Promise<string> {
    const token = await service.login('acme', 'al', password);
    const taken = await service.call('POST', '/v1/snapshots', { token });
    expect(taken.status).to.equal(202);
    const id = taken.body.id as string;

    const deadline = Date.now() + 20_000;
    for (;;) {
      const list = await service.call('GET', '/v1/snapshots', { token });
      const items = list.body.items as { id: string; state: string }[];
      if (items.some((item) => item.id === id && item.state === 'ready')) {
        return id;
      }
      if (Date.now() > deadline)
        throw new Error('the snapshot never got ready');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function keptIds(): Promise<string[]> {
    const token = await service.login('acme', 'al', password);
    const list = await service.call('GET', '/v1/snapshots', { token });

    return (list.body.items as { id: string }[]).map((item) => item.id);
  }

  /** A run of the first chunk's sealed bytes, as the file holds them. */
  function sealedChunkOf(snapshotId: string): string {
    const db = new Database(path.join(dataDir, 'snapshots.sqlite'), {
      readonly: true,
    });
    try {
      const row = db
        .prepare('SELECT doc FROM rs_snapshot_chunks WHERE id = ?')
        .get(`${snapshotId}:0`) as { doc: string } | undefined;
      const sealed = (JSON.parse(row!.doc) as { data: string }).data;
      expect(sealed).to.match(/^enc:/);

      return sealed.slice(20, 84);
    } finally {
      db.close();
    }
  }

  function filesHolding(text: string): string[] {
    const needle = Buffer.from(text);

    return walk(dataDir).filter((file) =>
      fs.readFileSync(file).includes(needle),
    );
  }
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}
