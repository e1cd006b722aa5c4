import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { Checkpoints } from '../../src/projections/checkpoints.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';

describe('Checkpoints', function () {
  let dir: string;
  let store: SqliteReadStore;
  let checkpoints: Checkpoints;

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-cp-'));
    store = new SqliteReadStore(path.join(dir, 'read.sqlite'));
    checkpoints = new Checkpoints(store);
  });

  afterEach(async function () {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has no position before the first write', async function () {
    expect(await checkpoints.load('p')).to.deep.equal({
      position: undefined,
      version: 'absent',
    });
  });

  it('keeps positions beyond the safe integers', async function () {
    const position = 2n ** 63n - 1n;

    await checkpoints.store('p', position, 'absent');

    expect(await checkpoints.load('p')).to.deep.equal({
      position,
      version: 1,
    });
  });

  it('reports, and does not overwrite, a newer checkpoint', async function () {
    await checkpoints.store('p', 5n, 'absent');
    await checkpoints.store('p', 7n, 1);

    const write = await checkpoints.store('p', 6n, 1);

    expect(write).to.deep.equal({
      kind: 'taken-over',
      expected: 1,
      actual: 2,
    });
    expect(await checkpoints.load('p')).to.deep.equal({
      position: 7n,
      version: 2,
    });
  });

  it('removes only the named checkpoint', async function () {
    await checkpoints.store('p', 5n, 'absent');
    await checkpoints.store('q', 6n, 'absent');

    await checkpoints.remove('p');

    expect((await checkpoints.load('p')).position).to.equal(undefined);
    expect((await checkpoints.load('q')).position).to.equal(6n);
  });
});
