import { expect } from 'chai';

import { parseCivilDay } from '../../../src/domain/analytics/civil-day.js';
import type { StatusRule } from '../../../src/domain/analytics/status-mapping-events.js';
import { statusMappingStreamName } from '../../../src/domain/analytics/status-mapping-events.js';
import { tenantSettingsStreamName } from '../../../src/domain/tenant/tenant-settings-events.js';
import {
  generationCollections,
  tenantsCollection,
} from '../../../src/projections/analytics/analytics-documents.js';
import type { AnalyticsTenantDocument } from '../../../src/projections/analytics/analytics-documents.js';
import { analyticsFixture } from '../../support/analytics-fixture.js';
import type { AnalyticsFixture } from '../../support/analytics-fixture.js';
import {
  itemEvents,
  itemStream,
  statuses,
} from '../../support/work-item-events.js';
import type { StatusOf } from '../../support/work-item-events.js';

const { doing, review, done, wontDo } = statuses;
const range = {
  from: parseCivilDay('2024-05-01')!,
  to: parseCivilDay('2024-06-30')!,
};
const all = {};

const reviewInProgress: StatusRule[] = [
  { status: 'In Review', stage: 'in_progress', excludeFromThroughput: false },
];
const wontDoExcluded: StatusRule[] = [
  { status: "Won't Do", stage: 'done', excludeFromThroughput: true },
];

describe('recomputing a tenant’s analytics', function () {
  this.timeout(30_000);
  let f: AnalyticsFixture;

  beforeEach(async function () {
    // Small slices, so that live events meet a recomputation half-way.
    f = await analyticsFixture({ sliceEvents: 4 });
  });

  afterEach(async function () {
    await f.dispose();
  });

  /** Items that go through review before work starts, some won't do. */
  async function items(tenantId: string, count: number, first = 0) {
    for (let n = first; n < first + count; n++) {
      const moves: [number, StatusOf][] =
        n % 3 === 2
          ? [[10 + n, wontDo]]
          : [
              [1 + n, review],
              [20 + n, doing],
              [50 + 2 * n, done],
            ];
      const created = new Date(
        Date.UTC(2024, 4, 1 + (n % 25), 9),
      ).toISOString();
      await f.append(
        tenantId,
        itemStream('jira', String(n)),
        itemEvents('jira', String(n), created, moves),
      );
    }
  }

  const mapping = (tenantId: string, rules: StatusRule[]) =>
    f.append(tenantId, statusMappingStreamName(tenantId), [
      { type: 'StatusMappingSet', data: { statuses: rules } },
    ]);

  async function numbers(tenantId: string) {
    const view = await f.queries.view(tenantId);
    return {
      generation: view.generation,
      cycle: await f.queries.cycleTime(view, all, range),
      throughput: await f.queries.throughput(view, all, range, 'week'),
      statuses: await f.queries.timeInStatus(view, all, range),
    };
  }

  async function tenantDoc(tenantId: string) {
    return (await f.readStore
      .collection<AnalyticsTenantDocument>(tenantsCollection)
      .get(tenantId))!;
  }

  async function generationsStored(tenantId: string): Promise<number[]> {
    const seen = new Set<number>();
    for (const name of generationCollections) {
      const { items } = await f.rawReadStore
        .collection<{ _id: string; generation: number }>(name)
        .find({ tenantId });
      for (const doc of items) seen.add(doc.generation);
    }
    return [...seen].sort();
  }

  it('computes the new numbers from the log, and reports its progress', async function () {
    const tenantId = await f.tenant();
    await items(tenantId, 12);
    await f.settled();
    const before = await numbers(tenantId);

    await mapping(tenantId, reviewInProgress);
    await f.settled();
    const after = await numbers(tenantId);
    const { recomputation, factEvents } = await tenantDoc(tenantId);

    expect(after.generation).to.equal(1);
    expect(after.cycle.count).to.equal(before.cycle.count);
    // Review came before work: under the mapping, work starts earlier.
    expect(after.cycle.mean!).to.be.greaterThan(before.cycle.mean!);
    expect(recomputation).to.include({
      state: 'done',
      eventsDone: factEvents,
      eventsTotal: factEvents,
    });
    expect(await generationsStored(tenantId)).to.deep.equal([1]);
  });

  it('gives back the original numbers when the default mapping returns', async function () {
    const tenantId = await f.tenant();
    await items(tenantId, 9);
    await f.settled();
    const before = await numbers(tenantId);

    await mapping(tenantId, [...reviewInProgress, ...wontDoExcluded]);
    await f.settled();
    const mapped = await numbers(tenantId);
    await mapping(tenantId, []);
    await f.settled();
    const restored = await numbers(tenantId);

    expect(mapped.throughput).to.not.deep.equal(before.throughput);
    expect({ ...restored, generation: 0 }).to.deep.equal(before);
  });

  it('follows the last of several changes made one after the other', async function () {
    const tenantId = await f.tenant();
    await items(tenantId, 12);
    await f.settled();

    await mapping(tenantId, reviewInProgress);
    await mapping(tenantId, wontDoExcluded);
    await f.append(tenantId, tenantSettingsStreamName(tenantId), [
      { type: 'TenantTimeZoneSet', data: { timeZone: 'Pacific/Auckland' } },
    ]);
    await f.settled();
    const view = await f.queries.view(tenantId);

    expect(view.calendar.timeZone).to.equal('Pacific/Auckland');
    expect((await tenantDoc(tenantId)).activeMapping).to.deep.equal(
      wontDoExcluded,
    );
    expect(await generationsStored(tenantId)).to.deep.equal([view.generation]);
  });

  it('counts facts that arrive while it runs', async function () {
    const tenantId = await f.tenant();
    await items(tenantId, 10);
    await f.settled();

    await mapping(tenantId, reviewInProgress);
    await items(tenantId, 10, 10);
    await f.settled();
    const live = await numbers(tenantId);

    const control = await f.tenant();
    await mapping(control, reviewInProgress);
    await items(control, 20);
    await f.settled();
    const { generation, ...expected } = await numbers(control);

    expect({ ...live, generation }).to.deep.equal({ ...expected, generation });
  });

  it('leaves other tenants’ analytics as they were', async function () {
    const changed = await f.tenant();
    const other = await f.tenant();
    await items(changed, 10);
    await items(other, 10);
    await f.settled();
    const otherDocs = async () => {
      const docs: unknown[] = [];
      for (const name of generationCollections) {
        docs.push(
          ...(
            await f.rawReadStore
              .collection(name)
              .find({ tenantId: other }, { sort: [['_id', 1]] })
          ).items,
        );
      }
      return docs;
    };
    const before = await otherDocs();

    await mapping(changed, reviewInProgress);
    await f.settled();

    expect(await otherDocs()).to.deep.equal(before);
  });

  it('gives the same numbers after a rebuild from the log', async function () {
    const tenantId = await f.tenant();
    await items(tenantId, 8);
    await mapping(tenantId, reviewInProgress);
    await items(tenantId, 4, 8);
    await f.settled();
    const { generation, ...before } = await numbers(tenantId);

    await f.runner.rebuild('analytics');
    await f.settled();
    const { generation: rebuilt, ...after } = await numbers(tenantId);

    expect(after).to.deep.equal(before);
    expect([generation, rebuilt]).to.deep.equal([1, 1]);
  });
});
