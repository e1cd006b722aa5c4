import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { packNumbers } from '../../../src/projections/analytics/packed-numbers.js';
import { WeekEntries } from '../../../src/projections/analytics/week-entries.js';
import type { ReadDocument } from '../../../src/ports/read-store.js';
import { SqliteReadStore } from '../../../src/storage/sqlite/sqlite-read-store.js';

interface Week extends ReadDocument {
  tenantId: string;
  week: number;
  entries: string;
}

const weeks = 'weeks';
const tenant = { tenantId: 't1' };

describe('week entries kept while their documents hold', function () {
  let dir: string;
  let store: SqliteReadStore;

  beforeEach(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-weeks-'));
    store = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
    for (const week of [1, 2, 3]) await write(week, [week, week * 10]);
  });

  afterEach(async function () {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(week: number, numbers: number[]) {
    return store
      .collection<Week>(weeks)
      .update(
        `w${week}`,
        { $set: { ...tenant, week, entries: packNumbers(numbers) } },
        { upsert: true },
      );
  }

  async function loaded(entries: WeekEntries, from = 1, to = 3) {
    const found = await entries.load(weeks, {
      ...tenant,
      week: { $gte: from, $lte: to },
    });
    return found.map((packed) => [...packed]);
  }

  it('decodes the entries of each week the filter matches', async function () {
    expect(await loaded(new WeekEntries(store, 1 << 20), 2, 3)).to.deep.equal([
      [2, 20],
      [3, 30],
    ]);
  });

  it('reads a week again once it has changed, and only then', async function () {
    const entries = new WeekEntries(store, 1 << 20);
    await loaded(entries);

    await write(2, [7, 8, 9]);
    await store
      .collection<Week>(weeks)
      .update('w3', { $set: { entries: packNumbers([99]) } });

    expect(await loaded(entries)).to.deep.equal([[1, 10], [7, 8, 9], [99]]);
  });

  it('leaves out a week deleted since it was kept', async function () {
    const entries = new WeekEntries(store, 1 << 20);
    await loaded(entries);

    await store.collection<Week>(weeks).deleteMany({ week: 2 });

    expect(await loaded(entries)).to.deep.equal([
      [1, 10],
      [3, 30],
    ]);
  });

  it('answers in full with a budget smaller than one range', async function () {
    // Room for about one week: each load reads weeks that push out others.
    const entries = new WeekEntries(store, 20);
    await loaded(entries, 1, 1);
    await write(3, [3, 31]);

    for (let round = 0; round < 3; round++) {
      expect(await loaded(entries)).to.deep.equal([
        [1, 10],
        [2, 20],
        [3, 31],
      ]);
    }
  });
});
