import { randomUUID } from 'node:crypto';

import {
  deliveryKind,
  webhookEnvelopeSchema,
} from '../../src/commands/webhooks/webhook-payload.js';
import { signatureOf } from '../../src/commands/webhooks/webhook-signature.js';
import { allWebhookFixtures } from '../../test/support/jira-fixtures.js';
import type { WebhookFixture } from '../../test/support/jira-fixtures.js';
import type { VariedRequest } from '../api/load.js';

/** Stand-ins in a fixture's text, replaced for each delivery. */
const marks = {
  issueId: '@@issue-id@@',
  key: '@@issue-key@@',
  changelogId: '@@changelog-id@@',
} as const;

type Mark = keyof typeof marks;

/** A fixture's text, cut where the identity of its change goes. */
interface Template {
  name: string;
  parts: string[];
  /** Which identity goes between part i and part i + 1. */
  holes: Mark[];
}

/**
 * What a new delivery of a fixture records on an issue never seen: a
 * change that says when the issue was created, or a deletion. Comment
 * deliveries are ignored, and an update without `created` of an unknown
 * issue records nothing, so they would measure less than a fact.
 */
function recordsFacts(fixture: WebhookFixture): boolean {
  const kind = deliveryKind(webhookEnvelopeSchema.parse(fixture.body));
  if (kind === 'deletion') return true;

  return (
    kind === 'change' && fixture.body.issue.fields['created'] !== undefined
  );
}

function templateOf(fixture: WebhookFixture): Template {
  const body = structuredClone(fixture.body) as WebhookFixture['body'] & {
    changelog?: { id: string };
  };
  body.issue.id = marks.issueId;
  body.issue.key = marks.key;
  if (body.changelog) body.changelog.id = marks.changelogId;

  const pattern = new RegExp(Object.values(marks).join('|'), 'g');
  const text = JSON.stringify(body);
  const holes = [...text.matchAll(pattern)].map(([found]) =>
    (Object.keys(marks) as Mark[]).find((mark) => marks[mark] === found)!,
  );

  return { name: fixture.name, parts: text.split(pattern), holes };
}

/**
 * Signed deliveries made from the real fixture bodies that record facts,
 * taken in turn. Each one is a change of its own: a new issue id, key
 * and changelog id, and a new `X-Atlassian-Webhook-Identifier`, so that
 * what is measured is recording facts, not recognising repeats.
 */
export class DeliveryMaker {
  readonly fixtures: string[];
  private readonly templates: Template[];
  private readonly run = randomUUID().slice(0, 8);
  private made = 0;

  constructor(private readonly secret: string) {
    this.templates = allWebhookFixtures().filter(recordsFacts).map(templateOf);
    this.fixtures = this.templates.map((template) => template.name);
  }

  /** How many deliveries were made so far. */
  get count(): number {
    return this.made;
  }

  readonly next = (): VariedRequest => {
    const n = this.made++;
    const template = this.templates[n % this.templates.length]!;
    const identity: Record<Mark, string> = {
      issueId: String(1_000_000 + n),
      key: `BENCH-${n}`,
      changelogId: String(5_000_000 + n),
    };
    const body = template.parts.reduce(
      (text, part, i) =>
        i === 0 ? part : text + identity[template.holes[i - 1]!] + part,
      '',
    );

    return {
      headers: {
        'content-type': 'application/json',
        'x-hub-signature': signatureOf(body, this.secret),
        'x-atlassian-webhook-identifier': `bench-${this.run}-${n}`,
      },
      body,
    };
  };
}
