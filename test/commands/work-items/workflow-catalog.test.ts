import { expect } from 'chai';

import { WorkflowCatalog } from '../../../src/commands/work-items/workflow-catalog.js';
import { silentLogger } from '../../../src/logger.js';
import { tempEventStore } from '../../support/temp-stores.js';
import type { TempEventStore } from '../../support/temp-stores.js';

const context = {
  tenantId: 'tenant-1',
  correlationId: 'sync-1',
  causationId: 'sync-1',
};

const statuses = [
  { id: '1', name: 'To Do', category: 'new' as const },
  { id: '3', name: 'In Progress', category: 'indeterminate' as const },
];

describe('WorkflowCatalog', function () {
  let temp: TempEventStore;
  let clock: number;

  beforeEach(function () {
    temp = tempEventStore();
    clock = Date.parse('2026-12-04T10:00:00Z');
  });

  afterEach(async function () {
    await temp.dispose();
  });

  function catalog(): WorkflowCatalog {
    return new WorkflowCatalog({
      store: temp.store,
      logger: silentLogger(),
      cacheMs: 60_000,
      now: () => clock,
    });
  }

  it('knows at once the statuses it recorded itself', async function () {
    const own = catalog();
    expect((await own.categories('conn-1')).size).to.equal(0);

    await own.record(context, 'conn-1', statuses);

    expect([...(await own.categories('conn-1'))]).to.deep.equal([
      ['1', 'new'],
      ['3', 'indeterminate'],
    ]);
  });

  it('sees statuses recorded elsewhere once what it read is old', async function () {
    const webhooks = catalog();
    expect((await webhooks.categories('conn-1')).size).to.equal(0);

    await catalog().record(context, 'conn-1', statuses);
    clock += 59_000;
    const soon = await webhooks.categories('conn-1');
    clock += 2_000;
    const later = await webhooks.categories('conn-1');

    expect(soon.size).to.equal(0);
    expect(later.get('3')).to.equal('indeterminate');
  });
});
