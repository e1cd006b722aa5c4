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

export interface WorkflowCatalogDependencies {
  store: EventStore;
  logger: Logger;
  /**
   * How long the categories read are used before the stream is read
   * again: statuses another process records show within this.
   */
  cacheMs?: number;
  now?: () => number;
}

interface KnownCategories {
  readAt: number;
  categories: ReadonlyMap<string, StatusCategory>;
}

/**
 * The statuses of each connection's workflows. Sync records them; the
 * facts of a transition take their categories from here when the issue
 * itself does not tell. Webhooks ask on every delivery, and statuses
 * change only when a sync sees new ones, so what was read is kept a
 * while: a transition to a status just added elsewhere may get no
 * category for that long, as it would have before that sync.
 */
export class WorkflowCatalog {
  private readonly handler;
  private readonly known = new Map<string, KnownCategories>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(deps: WorkflowCatalogDependencies) {
    this.handler = new CommandHandler({
      decider: workflowDecider,
      codec: new EventCodec<WorkflowEvent>(workflowEvents),
      store: deps.store,
      logger: deps.logger,
    });
    this.cacheMs = deps.cacheMs ?? 60_000;
    this.now = deps.now ?? Date.now;
  }

  /** Records the statuses when they changed; returns their categories. */
  async record(
    context: CommandContext,
    connectionId: string,
    statuses: WorkflowStatus[],
  ): Promise<ReadonlyMap<string, StatusCategory>> {
    const result = await this.handler.handle(
      workflowStreamName(connectionId),
      { type: 'RecordStatuses', connectionId, statuses },
      context,
    );

    return this.remember(connectionId, result.state);
  }

  /** The categories last recorded, by status id. */
  async categories(
    connectionId: string,
  ): Promise<ReadonlyMap<string, StatusCategory>> {
    const known = this.known.get(connectionId);
    if (known && this.now() - known.readAt < this.cacheMs) {
      return known.categories;
    }

    const state = await this.handler.current(workflowStreamName(connectionId));
    return this.remember(connectionId, state);
  }

  private remember(
    connectionId: string,
    statuses: ReadonlyMap<string, WorkflowStatus>,
  ): ReadonlyMap<string, StatusCategory> {
    const categories = new Map(
      [...statuses.values()].map((status) => [status.id, status.category]),
    );
    this.known.set(connectionId, { readAt: this.now(), categories });

    return categories;
  }
}
