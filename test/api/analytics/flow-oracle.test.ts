import { expect } from 'chai';

import { analyticsApi } from '../../support/analytics-api.js';
import type { AnalyticsApi } from '../../support/analytics-api.js';
import { expectAnswer } from './answers.js';
import { generatedAppends } from './generated-appends.js';
import { generateItems, webhookConnection } from './generated-tenant.js';
import type { GeneratedItem } from './generated-tenant.js';
import { oracleFor } from './flow-oracle.js';
import type { FlowOracle, OracleFilter, OracleRule } from './flow-oracle.js';

const now = new Date('2024-06-15T12:00:00.000Z');

const customMapping: OracleRule[] = [
  { status: 'In Review', stage: 'in_progress', excludeFromThroughput: false },
  { status: "Won't Do", stage: 'done', excludeFromThroughput: true },
  // Names match without regard to case.
  { status: 'blocked', stage: 'todo', excludeFromThroughput: false },
];

const filters: OracleFilter[] = [
  {},
  { connection: webhookConnection.id },
  { project: 'BETA' },
  { connection: 'conn-sync', issueType: 'Bug' },
];

const ranges: [string, string][] = [
  ['2024-02-01', '2024-06-30'],
  // Across the night New York moves its clocks forward.
  ['2024-03-08', '2024-03-21'],
];

type Query = { path: string; params: Record<string, string> };

/** Every query, for every filter and range, with the oracle's answer. */
function expectations(oracle: FlowOracle) {
  const checks: (Query & { expected: unknown })[] = [];

  for (const filter of filters) {
    for (const [from, to] of ranges) {
      const params = { ...filter, from, to } as Record<string, string>;
      for (const interval of ['day', 'week'] as const) {
        const series = { ...params, interval };
        checks.push(
          {
            path: 'throughput',
            params: series,
            expected: { series: oracle.throughput(filter, from, to, interval) },
          },
          {
            path: 'created-vs-resolved',
            params: series,
            expected: {
              series: oracle.createdVsResolved(filter, from, to, interval),
            },
          },
          {
            path: 'wip',
            params: series,
            expected: { series: oracle.wip(filter, from, to, interval) },
          },
          {
            path: 'cfd',
            params: series,
            expected: { series: oracle.cfd(filter, from, to, interval) },
          },
        );
      }
      checks.push(
        {
          path: 'cycle-time',
          params,
          expected: oracle.cycleTime(filter, from, to),
        },
        {
          path: 'lead-time',
          params,
          expected: oracle.leadTime(filter, from, to),
        },
        {
          path: 'time-in-status',
          params,
          expected: { statuses: oracle.timeInStatus(filter, from, to) },
        },
        {
          path: 'aging',
          params,
          expected: oracle.aging(filter, from, to, now.getTime()),
        },
      );
    }
  }

  return checks;
}

describe('flow analytics, checked against an oracle', function () {
  this.timeout(60_000);

  let api: AnalyticsApi;
  let alice: string;
  let gina: string;
  let items: GeneratedItem[];

  async function query(token: string, { path, params }: Query) {
    const search = new URLSearchParams(params).toString();
    const answer = await api.call('GET', `/v1/analytics/${path}?${search}`, {
      token,
    });
    expect(answer.status, `${path}?${search}`).to.equal(200);

    return answer.body;
  }

  /** Asks every query, checks it, and gives back all the answers. */
  async function expectOracle(oracle: FlowOracle): Promise<unknown[]> {
    const answers: unknown[] = [];
    for (const check of expectations(oracle)) {
      const body = await query(alice, check);
      if (check.path === 'aging') sortAging(body);
      expectAnswer(
        body,
        check.expected,
        `${check.path}?${new URLSearchParams(check.params)}`,
      );
      answers.push(body);
    }

    return answers;
  }

  async function put(path: string, body: unknown) {
    const answer = await api.call('PUT', path, { token: alice, body });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    await api.settled();

    return answer.body;
  }

  before(async function () {
    api = await analyticsApi({ now: () => now });
    alice = await api.login('acme', 'alice');
    gina = await api.login('globex', 'gina');
    await put('/v1/account/settings', { timeZone: 'America/New_York' });

    items = generateItems(90, 7);
    const appends = await generatedAppends(
      items,
      api.acme.tenantId,
      api.blindIndex,
      11,
    );
    const others = generateItems(12, 99);
    const globex = await generatedAppends(
      others,
      api.globex.tenantId,
      api.blindIndex,
      13,
    );
    for (const { stream, events } of appends)
      await api.append(api.acme.tenantId, stream, events);
    for (const { stream, events } of globex)
      await api.append(api.globex.tenantId, stream, events);
    await api.settled();
  });

  after(async function () {
    await api.dispose();
  });

  it('gives the generated tenant what an independent count does', async function () {
    expect(items.some((item) => item.deleted)).to.equal(true);

    await expectOracle(oracleFor(items, 'America/New_York', []));
  });

  it('counts the days of the weeks a range cuts, and no others', async function () {
    const oracle = oracleFor(items, 'America/New_York', []);
    const day = (d: number) =>
      new Date(Date.UTC(2024, 0, d)).toISOString().slice(0, 10);
    // Every start in February with the end fixed, then every end from
    // April to June: each day of the week is an edge many times over.
    const ranges = [
      ...Array.from({ length: 29 }, (_, i) => [day(32 + i), '2024-06-30']),
      ...Array.from({ length: 91 }, (_, i) => ['2024-02-01', day(92 + i)]),
    ] as [string, string][];

    for (const [from, to] of ranges) {
      const params = { from, to };
      const [cycle, lead, statuses] = await Promise.all([
        query(alice, { path: 'cycle-time', params }),
        query(alice, { path: 'lead-time', params }),
        query(alice, { path: 'time-in-status', params }),
      ]);
      const at = `${from}..${to}`;
      expectAnswer(cycle, oracle.cycleTime({}, from, to), `cycle ${at}`);
      expectAnswer(lead, oracle.leadTime({}, from, to), `lead ${at}`);
      expectAnswer(
        statuses,
        { statuses: oracle.timeInStatus({}, from, to) },
        `time in status ${at}`,
      );
    }
  });

  it('recomputes for a custom status mapping, and back for the default', async function () {
    const first = await expectOracle(oracleFor(items, 'America/New_York', []));
    const globexBefore = await query(gina, {
      path: 'cycle-time',
      params: { from: '2024-02-01', to: '2024-06-30' },
    });

    const mapped = await put('/v1/analytics/status-mapping', {
      statuses: customMapping,
    });
    expect(mapped.statuses).to.have.length(3);
    await expectOracle(oracleFor(items, 'America/New_York', customMapping));
    const progress = await api.call('GET', '/v1/analytics/status-mapping', {
      token: alice,
    });
    expect(progress.body.recomputation).to.include({ state: 'done' });
    const { eventsDone, eventsTotal } = progress.body.recomputation as Record<
      string,
      number
    >;
    expect(eventsDone).to.be.greaterThan(0).and.equal(eventsTotal);

    await put('/v1/analytics/status-mapping', { statuses: [] });
    const restored = await expectOracle(
      oracleFor(items, 'America/New_York', []),
    );
    expect(restored).to.deep.equal(first);
    const globexAfter = await query(gina, {
      path: 'cycle-time',
      params: { from: '2024-02-01', to: '2024-06-30' },
    });
    expect(globexAfter).to.deep.equal(globexBefore);
  });

  it('recomputes the days in a new time zone', async function () {
    const settings = await put('/v1/account/settings', {
      timeZone: 'Asia/Kolkata',
    });
    expect(settings.timeZone).to.equal('Asia/Kolkata');

    await expectOracle(oracleFor(items, 'Asia/Kolkata', []));
    await put('/v1/account/settings', { timeZone: 'America/New_York' });
  });
});

/** Items that started at the same instant come in key order. */
function sortAging(body: Record<string, unknown>): void {
  (body.items as { startedAt: string; key: string }[]).sort((a, b) =>
    a.startedAt < b.startedAt
      ? -1
      : a.startedAt > b.startedAt
        ? 1
        : a.key < b.key
          ? -1
          : 1,
  );
}
