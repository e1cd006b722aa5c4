import { expect } from 'chai';

import { KeptWeeks } from '../../../src/projections/analytics/kept-weeks.js';
import type { WeekDecoder } from '../../../src/projections/analytics/kept-weeks.js';
import {
  packNumbers,
  unpackNumbers,
} from '../../../src/projections/analytics/packed-numbers.js';
import type { ReadDocument } from '../../../src/ports/read-store.js';
import { tempReadStore } from '../../support/temp-stores.js';
import type { TempReadStore } from '../../support/temp-stores.js';

interface Week extends ReadDocument {
  tenantId: string;
  week: number;
  entries: string;
}

const weeks = 'weeks';
const tenant = { tenantId: 't1' };
const decoder: WeekDecoder<Week, Float64Array> = {
  collection: weeks,
  decode: (doc) => unpackNumbers(doc.entries),
  bytes: (entries) => entries.byteLength,
};

describe('week documents kept while they hold', function () {
  let temp: TempReadStore;
  let store: TempReadStore['store'];

  beforeEach(async function () {
    temp = tempReadStore();
    store = temp.store;
    for (const week of [1, 2, 3]) await write(week, [week, week * 10]);
  });

  afterEach(async function () {
    await temp.dispose();
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

  async function loaded(kept: KeptWeeks, from = 1, to = 3) {
    const ids = [];
    for (let week = from; week <= to; week++) ids.push(`w${week}`);
    const found = await kept.load(decoder, ids);
    return found.map((packed) => [...packed]);
  }

  it('decodes each week asked for, in the order asked', async function () {
    const kept = new KeptWeeks(store, 1 << 20);

    expect(await loaded(kept, 2, 3)).to.deep.equal([
      [2, 20],
      [3, 30],
    ]);
    expect(
      (await kept.load(decoder, ['w3', 'w9', 'w1'])).map((e) => [...e]),
    ).to.deep.equal([
      [3, 30],
      [1, 10],
    ]);
  });

  it('reads a week again once it has changed, and only then', async function () {
    const kept = new KeptWeeks(store, 1 << 20);
    await loaded(kept);

    await write(2, [7, 8, 9]);
    await store
      .collection<Week>(weeks)
      .update('w3', { $set: { entries: packNumbers([99]) } });

    expect(await loaded(kept)).to.deep.equal([[1, 10], [7, 8, 9], [99]]);
  });

  it('leaves out a week deleted since it was kept', async function () {
    const kept = new KeptWeeks(store, 1 << 20);
    await loaded(kept);

    await store.collection<Week>(weeks).deleteMany({ week: 2 });

    expect(await loaded(kept)).to.deep.equal([
      [1, 10],
      [3, 30],
    ]);
  });

  it('answers in full with a budget smaller than one range', async function () {
    // Room for about one week: each load reads weeks that push out others.
    const kept = new KeptWeeks(store, 20);
    await loaded(kept, 1, 1);
    await write(3, [3, 31]);

    for (let round = 0; round < 3; round++) {
      expect(await loaded(kept)).to.deep.equal([
        [1, 10],
        [2, 20],
        [3, 31],
      ]);
    }
  });
});
