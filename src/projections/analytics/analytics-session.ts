import { flowTimings } from '../../domain/analytics/flow-timings.js';
import type { LocalCalendar } from '../../domain/analytics/local-calendar.js';
import { stageResolver } from '../../domain/analytics/stage-resolution.js';
import type {
  KnownCategory,
  StageResolver,
} from '../../domain/analytics/stage-resolution.js';
import type { StatusRule } from '../../domain/analytics/status-mapping-events.js';
import {
  noFacts,
  withDeletion,
  withObservation,
  withTransition,
} from '../../domain/analytics/work-item-facts.js';
import type { WorkItemFacts } from '../../domain/analytics/work-item-facts.js';
import type { WorkFact } from '../../domain/work-item/work-item-events.js';
import { pagesOf } from '../../ports/read-pages.js';
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
  context: GenerationContext;
  /** The item as stored when the batch began: what it counted for then. */
  stored: ItemState;
  facts: WorkItemFacts;
  applied: bigint | null;
  changed: boolean;
}

/**
 * Applies work-item and workflow facts to a generation of the analytics
 * read models, keeping what changes in memory until `flush`. Each event
 * first loads all it needs, then changes the batch's state in one
 * synchronous step: an event that fails leaves nothing behind. An item's
 * timings, and what it changes in the counts, are worked out once, at
 * the end, from what it counted for before the batch and what its facts
 * and its connection's catalog make of it after.
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
    event: WorkFact,
    position: bigint,
  ): Promise<void> {
    const { connectionId } = event.data;
    const catalog = await this.catalog(context, connectionId);
    const nextCatalog = catalogAfter(catalog, event, position);
    const item = await this.itemUpdate(context, event, position);

    const reresolved: ItemRecord[] = [];
    const changed =
      nextCatalog === catalog ? [] : changedFallbacks(catalog, nextCatalog);
    if (changed.length > 0) {
      const dependents = await this.dependents(context, connectionId, changed);
      for (const id of dependents) {
        const record = await this.itemById(context, id, connectionId);
        if (!isApplied(record.applied, position)) reresolved.push(record);
      }
    }

    // From here on nothing is awaited and nothing can fail.
    if (nextCatalog !== catalog) {
      this.setCatalog(context, nextCatalog, position);
    }
    if (item) {
      item.record.facts = item.facts;
      item.record.applied = position;
      item.record.changed = true;
    }
    for (const record of reresolved) {
      record.applied = position;
      record.changed = true;
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

  /** Works out what the changed items change, and writes it all. */
  flush(): Promise<void> {
    const resolvers = new Map<string, StageResolver>();
    for (const record of this.items.values()) {
      if (!record.changed || record.applied === null) continue;

      const catalogId = catalogIdOf(
        record.context.tenantId,
        record.context.generation,
        record.connectionId,
      );
      let resolve = resolvers.get(catalogId);
      if (!resolve) {
        const catalog = this.catalogs.get(catalogId);
        resolve = stageResolver(
          record.context.rules,
          catalog ? knownCategories(catalog) : unknownCategory,
        );
        resolvers.set(catalogId, resolve);
      }
      const state = {
        facts: record.facts,
        timings: flowTimings(record.facts, resolve),
      };
      this.record(record, state, record.applied);
    }

    return this.pending.flush(this.store);
  }

  private record(record: ItemRecord, state: ItemState, position: bigint): void {
    const { context, connectionId } = record;
    const before = placedOf(context, connectionId, record.stored);
    const after = placedOf(context, connectionId, state);
    recordItemChange(this.pending, context, record, before, after, position);

    this.pending.setSource(
      itemsCollection,
      record.id,
      {
        tenantId: context.tenantId,
        generation: context.generation,
        connectionId,
        state,
        appliedPosition: position.toString(),
      },
      position,
    );
    record.stored = state;
    record.changed = false;
  }

  private async itemUpdate(
    context: GenerationContext,
    event: WorkFact,
    position: bigint,
  ): Promise<{ record: ItemRecord; facts: WorkItemFacts } | undefined> {
    if (event.type === 'WorkflowStatusesObserved') return undefined;

    const { connectionId, issueId } = event.data;
    const id = itemIdOf(
      context.tenantId,
      context.generation,
      connectionId,
      issueId,
    );
    const record = await this.itemById(context, id, connectionId);
    if (isApplied(record.applied, position)) return undefined;

    const facts = factsAfter(record.facts, event);
    return facts === record.facts ? undefined : { record, facts };
  }

  private async itemById(
    context: GenerationContext,
    id: string,
    connectionId: string,
  ): Promise<ItemRecord> {
    const cached = this.items.get(id);
    if (cached) return cached;

    const doc = await this.store
      .collection<ItemDocument>(itemsCollection)
      .get(id);
    const stored = doc?.state ?? { facts: noFacts, timings: null };
    const record: ItemRecord = {
      id,
      connectionId,
      context,
      stored,
      facts: stored.facts,
      applied: doc ? positionOf(doc.appliedPosition) : null,
      changed: false,
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

  /**
   * The items whose stages lean on the catalog for these statuses: those
   * the stored uses name, unless this batch changed them, and those this
   * batch changed to lean on it.
   */
  private async dependents(
    context: GenerationContext,
    connectionId: string,
    statusIds: string[],
  ): Promise<string[]> {
    const wanted = new Set(statusIds);
    // Whether a stage came from the fallback depends on the facts alone:
    // on the mapping and the categories events carry, not on the catalog.
    const leans = (record: ItemRecord) =>
      flowTimings(
        record.facts,
        fallbackProbe(context.rules),
      )?.fallbackStatusIds.some((id) => wanted.has(id)) ?? false;
    const items = new Set<string>();
    const uses = this.store.collection<FallbackUseDocument>(
      fallbackUsesCollection,
    );

    const leaning = {
      tenantId: context.tenantId,
      generation: context.generation,
      connectionId,
      statusId: { $in: statusIds },
    };
    for await (const page of pagesOf(uses, leaning, 1000)) {
      for (const use of page) {
        const record = this.items.get(use.itemId);
        if (!record || leans(record)) items.add(use.itemId);
      }
    }

    const prefix = `${context.tenantId}|${context.generation}|`;
    for (const record of this.items.values()) {
      const ours =
        record.id.startsWith(prefix) && record.connectionId === connectionId;
      if (ours && leans(record)) items.add(record.id);
    }

    return [...items];
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

/** What the connection knows when it knows nothing. */
const unknownCategory: KnownCategory = () => undefined;

function fallbackProbe(rules: readonly StatusRule[]): StageResolver {
  return stageResolver(rules, unknownCategory);
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
    contribution: contributionOf(state.timings, context.calendar),
    fallbackStatusIds: state.timings?.fallbackStatusIds ?? [],
  };
}

function factsAfter(
  facts: WorkItemFacts,
  event: Exclude<WorkFact, { type: 'WorkflowStatusesObserved' }>,
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
  event: WorkFact,
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
