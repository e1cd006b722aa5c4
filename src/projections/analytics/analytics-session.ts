import { flowTimings } from '../../domain/analytics/flow-timings.js';
import type { LocalCalendar } from '../../domain/analytics/local-calendar.js';
import { stageResolver } from '../../domain/analytics/stage-resolution.js';
import type { StatusRule } from '../../domain/analytics/status-mapping-events.js';
import {
  noFacts,
  withDeletion,
  withObservation,
  withTransition,
} from '../../domain/analytics/work-item-facts.js';
import type { WorkItemFacts } from '../../domain/analytics/work-item-facts.js';
import type { WorkItemEvent } from '../../domain/work-item/work-item-events.js';
import type { ReadStore } from '../../ports/read-store.js';
import {
  catalogIdOf,
  catalogsCollection,
  fallbackUsesCollection,
  itemIdOf,
  itemsCollection,
} from './analytics-documents.js';
import type {
  CatalogDocument,
  FallbackUseDocument,
  ItemDocument,
  ItemState,
} from './analytics-documents.js';
import { contributionOf } from './item-contributions.js';
import { recordItemChange, unplaced } from './item-changes.js';
import type { GenerationRef, PlacedContribution } from './item-changes.js';
import { PendingWrites } from './pending-writes.js';
import {
  catalogFields,
  catalogFromDocument,
  changedFallbacks,
  emptyCatalog,
  knownCategories,
  withObservedStatus,
  withWorkflow,
} from './status-catalog.js';
import type { StatusCatalog } from './status-catalog.js';

/** A generation of a tenant's read models, with what it is computed under. */
export interface GenerationContext extends GenerationRef {
  calendar: LocalCalendar;
  rules: readonly StatusRule[];
}

interface ItemRecord {
  id: string;
  connectionId: string;
  state: ItemState;
  applied: bigint | null;
  /** Its contribution under this batch's generation, worked out once. */
  placed?: PlacedContribution;
}

interface ItemUpdate {
  record: ItemRecord;
  facts: WorkItemFacts;
}

/**
 * Applies work-item and workflow facts to a generation of the analytics
 * read models, keeping what changes in memory until `flush`. Each event
 * first loads all it needs, then changes the batch's state in one
 * synchronous step: an event that fails leaves nothing behind.
 *
 * Every item and catalog remembers the last position applied to it, and
 * an event at or below that position is skipped for it. That is what
 * keeps a replayed event harmless here, since counts are derived from
 * items and written with them.
 */
export class AnalyticsSession {
  readonly pending = new PendingWrites();
  private readonly items = new Map<string, ItemRecord>();
  private readonly catalogs = new Map<string, StatusCatalog>();

  constructor(private readonly store: ReadStore) {}

  async applyFact(
    context: GenerationContext,
    event: WorkItemEvent,
    position: bigint,
  ): Promise<void> {
    const { connectionId } = event.data;
    const catalog = await this.catalog(context, connectionId);
    const nextCatalog = catalogAfter(catalog, event, position);
    const updates = await this.itemUpdates(context, event, position);

    const changed = changedFallbacks(catalog, nextCatalog);
    if (changed.length > 0) {
      const dependents = await this.dependents(context, connectionId, changed);
      for (const id of dependents) {
        if (updates.some((update) => update.record.id === id)) continue;
        const record = await this.itemById(id, connectionId);
        if (!isApplied(record.applied, position)) {
          updates.push({ record, facts: record.state.facts });
        }
      }
    }

    const resolve = stageResolver(context.rules, knownCategories(nextCatalog));
    const derived = updates.map(({ record, facts }) => ({
      record,
      state: { facts, timings: flowTimings(facts, resolve) },
    }));
    const placements = derived.map(({ record, state }) => ({
      record,
      state,
      before: this.placed(context, record),
      after: placedOf(context, record.connectionId, state),
    }));

    // From here on nothing is awaited and nothing can fail.
    if (nextCatalog !== catalog)
      this.setCatalog(context, nextCatalog, position);
    for (const { record, state, before, after } of placements) {
      recordItemChange(this.pending, context, record, before, after, position);
      this.setItem(context, record, state, after, position);
    }
  }

  /** Drops what this batch holds of a tenant whose data is going. */
  forgetTenant(tenantId: string): void {
    const prefix = `${tenantId}|`;
    for (const id of this.items.keys()) {
      if (id.startsWith(prefix)) this.items.delete(id);
    }
    for (const id of this.catalogs.keys()) {
      if (id.startsWith(prefix)) this.catalogs.delete(id);
    }
    this.pending.forgetTenant(tenantId);
  }

  flush(): Promise<void> {
    return this.pending.flush(this.store);
  }

  private async itemUpdates(
    context: GenerationContext,
    event: WorkItemEvent,
    position: bigint,
  ): Promise<ItemUpdate[]> {
    if (event.type === 'WorkflowStatusesObserved') return [];

    const { connectionId, issueId } = event.data;
    const id = itemIdOf(
      context.tenantId,
      context.generation,
      connectionId,
      issueId,
    );
    const record = await this.itemById(id, connectionId);
    if (isApplied(record.applied, position)) return [];

    const facts = factsAfter(record.state.facts, event);
    return facts === record.state.facts ? [] : [{ record, facts }];
  }

  private async itemById(
    id: string,
    connectionId: string,
  ): Promise<ItemRecord> {
    const cached = this.items.get(id);
    if (cached) return cached;

    const doc = await this.store
      .collection<ItemDocument>(itemsCollection)
      .get(id);
    const record: ItemRecord = doc
      ? {
          id,
          connectionId,
          state: doc.state,
          applied: positionOf(doc.appliedPosition),
        }
      : {
          id,
          connectionId,
          state: { facts: noFacts, timings: null },
          applied: null,
        };
    this.items.set(id, record);

    return record;
  }

  private async catalog(
    context: GenerationRef,
    connectionId: string,
  ): Promise<StatusCatalog> {
    const id = catalogIdOf(context.tenantId, context.generation, connectionId);
    const cached = this.catalogs.get(id);
    if (cached) return cached;

    const doc = await this.store
      .collection<CatalogDocument>(catalogsCollection)
      .get(id);
    const catalog = doc
      ? catalogFromDocument(doc)
      : emptyCatalog(id, connectionId);
    this.catalogs.set(id, catalog);

    return catalog;
  }

  /** The items whose stages lean on the catalog for these statuses. */
  private async dependents(
    context: GenerationRef,
    connectionId: string,
    statusIds: string[],
  ): Promise<string[]> {
    const filter = {
      tenantId: context.tenantId,
      generation: context.generation,
      connectionId,
    };
    const wanted = new Set(statusIds);
    const items = new Set<string>();
    const uses = this.store.collection<FallbackUseDocument>(
      fallbackUsesCollection,
    );

    let cursor: string | undefined;
    do {
      const page = await uses.find(
        { ...filter, statusId: { $in: statusIds } },
        { limit: 1000, ...(cursor && { cursor }) },
      );
      for (const use of page.items) {
        const pending = this.pending.pendingDerived(
          fallbackUsesCollection,
          use._id,
        );
        if (pending?.fields !== null) items.add(use.itemId);
      }
      cursor = page.next;
    } while (cursor);

    for (const id of this.pending.derivedIds(fallbackUsesCollection)) {
      const fields = this.pending.pendingDerived(fallbackUsesCollection, id)
        ?.fields as Partial<FallbackUseDocument> | null | undefined;
      const matches =
        fields &&
        fields.tenantId === filter.tenantId &&
        fields.generation === filter.generation &&
        fields.connectionId === connectionId &&
        wanted.has(fields.statusId ?? '');
      if (matches && fields.itemId) items.add(fields.itemId);
    }

    return [...items];
  }

  private placed(
    context: GenerationContext,
    record: ItemRecord,
  ): PlacedContribution {
    record.placed ??= placedOf(context, record.connectionId, record.state);

    return record.placed;
  }

  private setItem(
    context: GenerationRef,
    record: ItemRecord,
    state: ItemState,
    placed: PlacedContribution,
    position: bigint,
  ): void {
    record.state = state;
    record.applied = position;
    record.placed = placed;

    this.pending.setSource(
      itemsCollection,
      record.id,
      {
        tenantId: context.tenantId,
        generation: context.generation,
        connectionId: record.connectionId,
        state,
        appliedPosition: position.toString(),
      },
      position,
    );
  }

  private setCatalog(
    context: GenerationRef,
    catalog: StatusCatalog,
    position: bigint,
  ): void {
    const applied = { ...catalog, applied: position };
    this.catalogs.set(catalog.id, applied);

    this.pending.setSource(
      catalogsCollection,
      catalog.id,
      {
        tenantId: context.tenantId,
        generation: context.generation,
        ...catalogFields(applied),
      },
      position,
    );
  }
}

function placedOf(
  context: GenerationContext,
  connectionId: string,
  state: ItemState,
): PlacedContribution {
  const observed = state.facts.observed;
  if (observed === null) return unplaced;

  return {
    placement: {
      connectionId,
      projectIndex: observed.projectIndex,
      issueTypeIndex: observed.issueTypeIndex,
      key: observed.key,
    },
    contribution: contributionOf(state.timings, observed.key, context.calendar),
    fallbackStatusIds: state.timings?.fallbackStatusIds ?? [],
  };
}

function factsAfter(
  facts: WorkItemFacts,
  event: Exclude<WorkItemEvent, { type: 'WorkflowStatusesObserved' }>,
): WorkItemFacts {
  switch (event.type) {
    case 'WorkItemObserved':
      return withObservation(facts, event.data);
    case 'WorkItemStatusChanged':
      return withTransition(facts, event.data);
    case 'WorkItemDeleted':
      return withDeletion(facts);
  }
}

function catalogAfter(
  catalog: StatusCatalog,
  event: WorkItemEvent,
  position: bigint,
): StatusCatalog {
  if (isApplied(catalog.applied, position)) return catalog;

  switch (event.type) {
    case 'WorkflowStatusesObserved':
      return withWorkflow(catalog, event.data.categories);
    case 'WorkItemObserved':
      return withObservedStatus(catalog, event.data);
    default:
      return catalog;
  }
}

function isApplied(applied: bigint | null, position: bigint): boolean {
  return applied !== null && applied >= position;
}

function positionOf(text: string | null): bigint | null {
  return text === null ? null : BigInt(text);
}
