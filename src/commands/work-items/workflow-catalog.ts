import { EventCodec } from '../../domain/event-codec.js';
import { workflowDecider } from '../../domain/work-item/workflow.js';
import type { WorkflowStatus } from '../../domain/work-item/workflow.js';
import {
  workflowEvents,
  workflowStreamName,
} from '../../domain/work-item/work-item-events.js';
import type {
  StatusCategory,
  WorkflowEvent,
} from '../../domain/work-item/work-item-events.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import { CommandHandler } from '../command-handler.js';
import type { CommandContext } from '../command-handler.js';

/**
 * The statuses of each connection's workflows. Sync records them; the
 * facts of a transition take their categories from here when the issue
 * itself does not tell.
 */
export class WorkflowCatalog {
  private readonly handler;

  constructor(deps: { store: EventStore; logger: Logger }) {
    this.handler = new CommandHandler({
      decider: workflowDecider,
      codec: new EventCodec<WorkflowEvent>(workflowEvents),
      store: deps.store,
      logger: deps.logger,
    });
  }

  /** Records the statuses when they changed; returns their categories. */
  async record(
    context: CommandContext,
    connectionId: string,
    statuses: WorkflowStatus[],
  ): Promise<Map<string, StatusCategory>> {
    const result = await this.handler.handle(
      workflowStreamName(connectionId),
      { type: 'RecordStatuses', connectionId, statuses },
      context,
    );

    return categoriesOf(result.state);
  }

  /** The categories last recorded, by status id. */
  async categories(connectionId: string): Promise<Map<string, StatusCategory>> {
    const state = await this.handler.current(workflowStreamName(connectionId));

    return categoriesOf(state);
  }
}

function categoriesOf(
  statuses: ReadonlyMap<string, WorkflowStatus>,
): Map<string, StatusCategory> {
  return new Map(
    [...statuses.values()].map((status) => [status.id, status.category]),
  );
}
