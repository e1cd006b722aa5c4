import { EventCodec } from '../../domain/event-codec.js';
import { workItemDecider } from '../../domain/work-item/work-item.js';
import {
  workItemEvents,
  workItemStreamName,
} from '../../domain/work-item/work-item-events.js';
import type { WorkItemEvent } from '../../domain/work-item/work-item-events.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import { CommandHandler } from '../command-handler.js';
import type { CommandContext } from '../command-handler.js';
import type { IssueFacts } from '../jira/issue-facts.js';
import { workItemFactId } from './fact-ids.js';

export interface RecordedFacts {
  /** How many new facts were appended: 0 for a repeat. */
  appended: number;
  position: bigint | undefined;
}

/**
 * Records what sync and webhooks learn about work items, once each. The
 * ids of the facts come from the facts, so a repeat adds nothing even
 * when two sources race to report it.
 */
export class WorkItemRecorder {
  private readonly handler;

  constructor(deps: { store: EventStore; logger: Logger }) {
    this.handler = new CommandHandler({
      decider: workItemDecider,
      codec: new EventCodec<WorkItemEvent>(workItemEvents),
      store: deps.store,
      logger: deps.logger,
      eventId: workItemFactId,
      // Sync and a burst of webhooks may report one item at once.
      maxAttempts: 5,
    });
  }

  async recordIssue(
    context: CommandContext,
    facts: IssueFacts,
  ): Promise<RecordedFacts> {
    const { connectionId, issueId } = facts.observation;

    const result = await this.handler.handle(
      workItemStreamName(connectionId, issueId),
      { type: 'RecordIssue', ...facts },
      context,
    );

    return { appended: result.events.length, position: result.position };
  }

  async recordDeletion(
    context: CommandContext,
    deletion: { connectionId: string; issueId: string; deletedAt: string },
  ): Promise<RecordedFacts> {
    const result = await this.handler.handle(
      workItemStreamName(deletion.connectionId, deletion.issueId),
      { type: 'RecordDeletion', ...deletion },
      context,
    );

    return { appended: result.events.length, position: result.position };
  }
}
