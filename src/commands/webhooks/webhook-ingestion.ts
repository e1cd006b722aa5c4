import type { BlindIndex } from '../../ports/blind-index.js';
import type { Logger } from '../../ports/logger.js';
import type { ReadDocument, ReadStore } from '../../ports/read-store.js';
import type { CommandContext } from '../command-handler.js';
import { issueFacts } from '../jira/issue-facts.js';
import type { WorkItemRecorder } from '../work-items/work-item-recorder.js';
import type { WorkflowCatalog } from '../work-items/workflow-catalog.js';
import type { IssueChange, IssueDeletion } from './webhook-payload.js';

export const deliveriesCollection = 'webhook_deliveries';

/** One delivery seen, kept for the dedupe window and then purged. */
export interface DeliveryDocument extends ReadDocument {
  tenantId: string;
  connectionId: string;
  outcome: 'recorded' | 'ignored';
  receivedAt: string;
  expiresAt: string;
}

/** A delivery whose signature has been checked. */
export interface WebhookDelivery {
  tenantId: string;
  connectionId: string;
  /** `X-Atlassian-Webhook-Identifier`, when Jira sent one. */
  deliveryId: string | undefined;
  /** Names the request in the events' metadata. */
  requestId: string;
}

export type DeliveryOutcome = 'recorded' | 'duplicate' | 'ignored';

export interface WebhookIngestionDependencies {
  recorder: WorkItemRecorder;
  workflows: WorkflowCatalog;
  store: ReadStore;
  blindIndex: BlindIndex;
  logger: Logger;
  /** At least a day: Jira retries a failed delivery for hours. */
  dedupeWindowMs?: number;
  now?: () => Date;
}

/**
 * Turns signed Jira deliveries into the same work-item facts sync
 * records. A delivery's facts are in the event store before it is
 * acknowledged; only then is it marked as seen, so a crash in between
 * makes Jira retry, and the retry adds nothing the facts did not.
 */
export class WebhookIngestion {
  private readonly windowMs: number;

  constructor(private readonly deps: WebhookIngestionDependencies) {
    this.windowMs = deps.dedupeWindowMs ?? 48 * 60 * 60 * 1000;
  }

  async change(
    delivery: WebhookDelivery,
    change: IssueChange,
  ): Promise<DeliveryOutcome> {
    if (await this.seen(delivery)) return 'duplicate';

    const sentAt = new Date(change.timestamp).toISOString();
    const changedAt = change.issue.fields.updated ?? sentAt;
    const categories = await this.deps.workflows.categories(
      delivery.connectionId,
    );
    const facts = await issueFacts({
      tenantId: delivery.tenantId,
      connectionId: delivery.connectionId,
      issue: change.issue,
      histories: change.changelog
        ? [{ ...change.changelog, created: changedAt }]
        : [],
      observedAt: sentAt,
      categories,
      blindIndex: this.deps.blindIndex,
    });

    await this.deps.recorder.recordIssue(context(delivery), facts);
    return this.remember(delivery, 'recorded');
  }

  async deletion(
    delivery: WebhookDelivery,
    deletion: IssueDeletion,
  ): Promise<DeliveryOutcome> {
    if (await this.seen(delivery)) return 'duplicate';

    await this.deps.recorder.recordDeletion(context(delivery), {
      connectionId: delivery.connectionId,
      issueId: deletion.issue.id,
      deletedAt: new Date(deletion.timestamp).toISOString(),
    });
    return this.remember(delivery, 'recorded');
  }

  /** Comment, worklog and other deliveries: seen, and nothing more. */
  async ignored(
    delivery: WebhookDelivery,
    webhookEvent: string,
  ): Promise<DeliveryOutcome> {
    if (await this.seen(delivery)) return 'duplicate';

    this.deps.logger.debug(
      { connectionId: delivery.connectionId, webhookEvent },
      'webhook delivery ignored',
    );
    return this.remember(delivery, 'ignored');
  }

  private async seen(delivery: WebhookDelivery): Promise<boolean> {
    const id = deliveryKey(delivery);
    if (id === undefined) return false;

    const found = await this.deliveries().get(id);
    return found !== undefined && found.expiresAt > this.now().toISOString();
  }

  private async remember(
    delivery: WebhookDelivery,
    outcome: 'recorded' | 'ignored',
  ): Promise<DeliveryOutcome> {
    const id = deliveryKey(delivery);
    if (id === undefined) return outcome;
    const now = this.now();

    await this.deliveries().update(
      id,
      {
        $set: {
          tenantId: delivery.tenantId,
          connectionId: delivery.connectionId,
          outcome,
          receivedAt: now.toISOString(),
          expiresAt: new Date(+now + this.windowMs).toISOString(),
        },
      },
      { upsert: true },
    );
    return outcome;
  }

  private deliveries() {
    return this.deps.store.collection<DeliveryDocument>(deliveriesCollection);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** Deletes deliveries past their dedupe window; returns how many. */
export function purgeExpiredDeliveries(
  store: ReadStore,
  now: Date,
): Promise<number> {
  return store
    .collection<DeliveryDocument>(deliveriesCollection)
    .deleteMany({ expiresAt: { $lt: now.toISOString() } });
}

/** Identifiers are Jira's; they are unique per connection, not beyond. */
function deliveryKey(delivery: WebhookDelivery): string | undefined {
  return delivery.deliveryId === undefined
    ? undefined
    : `${delivery.connectionId}:${delivery.deliveryId}`;
}

function context(delivery: WebhookDelivery): CommandContext {
  return {
    tenantId: delivery.tenantId,
    correlationId: delivery.deliveryId ?? delivery.requestId,
    causationId: delivery.requestId,
  };
}
