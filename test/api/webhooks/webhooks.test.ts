import { randomUUID } from 'node:crypto';

import { expect } from 'chai';

import { signatureOf } from '../../../src/commands/webhooks/webhook-signature.js';
import type { RecordedEvent } from '../../../src/ports/event-store.js';
import { JiraDouble } from '../../doubles/jira/jira-double.js';
import {
  allWebhookFixtures,
  webhookFixture,
} from '../../support/jira-fixtures.js';
import type { WebhookFixture } from '../../support/jira-fixtures.js';
import { serviceApi } from '../../support/service-api.js';
import type {
  Answer,
  ServiceApi,
  WebhookConnection,
} from '../../support/service-api.js';

/** The comment deliveries among the fixtures, which record nothing. */
const commentFixtures = new Set(
  allWebhookFixtures()
    .filter((f) => /comment/.test(f.name))
    .map((f) => f.name),
);

describe('Jira webhooks', function () {
  this.timeout(60_000);
  let api: ServiceApi;
  let jira: JiraDouble;
  let alice: string;

  before(async function () {
    api = await serviceApi();
    jira = await JiraDouble.start({ kind: 'jira-cloud' });
    alice = await api.login('acme', 'alice');
  });

  after(async function () {
    await jira?.close();
    await api?.dispose();
  });

  function connection(): Promise<WebhookConnection> {
    return api.connect(alice, jira);
  }

  function post(
    to: WebhookConnection,
    raw: Buffer | string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    return api.call('POST', `/v1/webhooks/jira/${to.id}`, {
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature': signatureOf(raw, to.secret),
        'x-atlassian-webhook-identifier': randomUUID(),
        ...headers,
      },
    });
  }

  /** The facts of one connection, in the order of the log. */
  async function factsOf(to: WebhookConnection): Promise<RecordedEvent[]> {
    const facts: RecordedEvent[] = [];
    for await (const event of api.service.eventStore.readAll()) {
      if (event.streamName.startsWith(`work-item-${to.id}-`)) facts.push(event);
    }

    return facts;
  }

  function transitions(facts: RecordedEvent[]): string[] {
    return facts
      .filter((e) => e.type === 'WorkItemStatusChanged')
      .map((e) => `${e.data['fromStatusName']} -> ${e.data['toStatusName']}`);
  }

  describe('every real payload', function () {
    for (const fixture of allWebhookFixtures()) {
      it(`takes ${fixture.name}`, async function () {
        const to = await connection();

        const answer = await post(to, fixture.raw);

        expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
        const facts = await factsOf(to);
        if (commentFixtures.has(fixture.name)) {
          expect(answer.body.outcome).to.equal('ignored');
          expect(facts).to.deep.equal([]);
        } else {
          expect(answer.body.outcome).to.equal('recorded');
          expectFactsOf(fixture, facts);
        }
      });
    }
  });

  function expectFactsOf(fixture: WebhookFixture, facts: RecordedEvent[]) {
    const { webhookEvent, issue } = fixture.body;
    if (webhookEvent === 'jira:issue_deleted') {
      expect(facts.map((e) => e.type)).to.deep.equal(['WorkItemDeleted']);
      expect(facts[0]!.data['issueId']).to.equal(issue.id);
      return;
    }
    if (issue.fields['created'] === undefined) {
      // An assignment made through the API: no creation time, and the
      // item was never seen, so there is nothing true to record yet.
      expect(facts).to.deep.equal([]);
      return;
    }

    const observed = facts.filter((e) => e.type === 'WorkItemObserved');
    expect(observed).to.have.length(1);
    expect(observed[0]!.data).to.deep.include({
      issueId: issue.id,
      key: issue.key,
    });
    const items = (
      (fixture.body['changelog'] as { items?: { field: string }[] })?.items ??
      []
    ).filter((item) => item.field.toLowerCase() === 'status');
    expect(transitions(facts)).to.have.length(items.length);
  }

  it('records the transitions of a real history, with their names', async function () {
    const to = await connection();

    for (const name of [
      'webhook-issue-created.json',
      'webhook-issue-updated-started-working.json',
      'webhook-issue-updated-resolved.json',
      'webhook-issue-updated-reopened.json',
    ]) {
      expect((await post(to, webhookFixture(name).raw)).status).to.equal(202);
    }

    expect(transitions(await factsOf(to))).to.deep.equal([
      'null -> To Do',
      'To Do -> In Progress',
      'In Progress -> Done',
      'Done -> To Do',
    ]);
  });

  it('counts a delivery posted three times once', async function () {
    const to = await connection();
    const { raw } = webhookFixture('webhook-issue-updated-resolved.json');
    const headers = { 'x-atlassian-webhook-identifier': randomUUID() };

    const outcomes = [];
    for (let n = 0; n < 3; n += 1) {
      outcomes.push((await post(to, raw, headers)).body.outcome);
    }

    expect(outcomes).to.deep.equal(['recorded', 'duplicate', 'duplicate']);
    expect(await factsOf(to)).to.have.length(2);
  });

  it('adds nothing for the same change under another delivery id', async function () {
    const to = await connection();
    const { raw } = webhookFixture('webhook-issue-updated-resolved.json');

    await post(to, raw);
    await post(to, raw);

    expect(await factsOf(to)).to.have.length(2);
  });

  it('ends in the newest state when deliveries come out of order', async function () {
    const to = await connection();
    const ann = await api.login('acme', 'ann');

    for (const name of [
      'webhook-issue-updated-resolved.json',
      'webhook-issue-updated-started-working.json',
      'webhook-issue-created.json',
    ]) {
      await post(to, webhookFixture(name).raw);
    }

    const item = await eventually(async () => {
      const page = await api.call('GET', `/v1/work-items?connection=${to.id}`, {
        token: ann,
      });
      const [first] = page.body.items as Record<string, unknown>[];
      return (first?.history as unknown[] | undefined)?.length === 3
        ? first
        : undefined;
    });
    expect(item.status).to.deep.include({ name: 'Done', category: 'done' });
    expect(
      (item.history as { to: { name: string } }[]).map((t) => t.to.name),
    ).to.deep.equal(['To Do', 'In Progress', 'Done']);
  });

  describe('refused deliveries change nothing', function () {
    let to: WebhookConnection;
    const { raw } = webhookFixture('webhook-issue-updated-resolved.json');

    before(async function () {
      to = await connection();
    });

    async function expectRefused(answer: Answer, status: number) {
      expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
      expect(answer.headers.get('content-type')).to.match(
        /^application\/problem\+json/,
      );
      expect(await factsOf(to)).to.deep.equal([]);
    }

    it('a wrong signature, or none', async function () {
      await expectRefused(
        await post(to, raw, { 'x-hub-signature': signatureOf(raw, 'guess') }),
        401,
      );
      await expectRefused(await post(to, raw, { 'x-hub-signature': '' }), 401);
    });

    it('a signature over the body serialized again', async function () {
      const again = JSON.stringify(JSON.parse(raw.toString('utf8')));

      await expectRefused(
        await post(to, raw, {
          'x-hub-signature': signatureOf(again, to.secret),
        }),
        401,
      );
    });

    it('a body over the limit, or not JSON', async function () {
      const huge = Buffer.alloc(1024 * 1024 + 1, 0x20);

      await expectRefused(await post(to, huge), 413);
      await expectRefused(
        await post(to, raw, { 'content-type': 'text/plain' }),
        415,
      );
    });

    it('malformed JSON, and a payload that breaks the schema, with its path', async function () {
      await expectRefused(await post(to, '{"webhookEvent": '), 400);

      const broken = JSON.parse(raw.toString('utf8'));
      delete broken.issue.fields.status;
      const answer = await post(to, JSON.stringify(broken));
      await expectRefused(answer, 400);
      expect(answer.body.errors).to.deep.include({
        path: 'body.issue.fields.status',
        message: 'Invalid input: expected object, received undefined',
      });
    });

    it('an unknown connection, and a disabled one', async function () {
      await expectRefused(await post({ ...to, id: randomUUID() }, raw), 404);

      const gone = await connection();
      await api.call('DELETE', `/v1/connections/${gone.id}`, { token: alice });
      await expectRefused(await post(gone, raw), 404);
      expect(await factsOf(gone)).to.deep.equal([]);
    });
  });

  it('keeps accepting the old secret for a while after a rotation', async function () {
    const to = await connection();
    const rotated = await api.call(
      'POST',
      `/v1/connections/${to.id}/webhook-secret`,
      { token: alice },
    );
    expect(rotated.status).to.equal(200);
    const fresh = { ...to, secret: rotated.body.secret as string };
    const { raw } = webhookFixture('webhook-issue-updated-resolved.json');

    expect((await post(to, raw)).status).to.equal(202);
    expect((await post(fresh, raw)).status).to.equal(202);
    expect(
      (await post({ ...to, secret: 'never issued' }, raw)).status,
    ).to.equal(401);
  });
});

async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
