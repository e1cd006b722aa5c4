import { fallbackStage } from '../../domain/analytics/stage-resolution.js';
import type { KnownCategory } from '../../domain/analytics/stage-resolution.js';
import type {
  StatusCategory,
  WorkItemObservation,
} from '../../domain/work-item/work-item-events.js';
import type { CatalogDocument } from './analytics-documents.js';

/** What one connection knows of its statuses' categories, apart from events. */
export interface StatusCatalog {
  id: string;
  connectionId: string;
  workflow: ReadonlyMap<string, StatusCategory>;
  learnt: ReadonlyMap<string, { category: StatusCategory; at: number }>;
  /** The last log position applied to it, null before any. */
  applied: bigint | null;
}

export function emptyCatalog(id: string, connectionId: string): StatusCatalog {
  return {
    id,
    connectionId,
    workflow: new Map(),
    learnt: new Map(),
    applied: null,
  };
}

export function catalogFromDocument(doc: CatalogDocument): StatusCatalog {
  return {
    id: doc._id,
    connectionId: doc.connectionId,
    workflow: new Map(doc.workflow.map(({ id, category }) => [id, category])),
    learnt: new Map(
      doc.learnt.map(({ id, category, at }) => [id, { category, at }]),
    ),
    applied: doc.appliedPosition === null ? null : BigInt(doc.appliedPosition),
  };
}

export function catalogFields(catalog: StatusCatalog) {
  return {
    connectionId: catalog.connectionId,
    workflow: [...catalog.workflow].map(([id, category]) => ({ id, category })),
    learnt: [...catalog.learnt].map(([id, { category, at }]) => ({
      id,
      category,
      at,
    })),
    appliedPosition: catalog.applied?.toString() ?? null,
  };
}

/** The workflow catalog first, then what observations taught. */
export function knownCategories(catalog: StatusCatalog): KnownCategory {
  return (statusId) => {
    const listed = catalog.workflow.get(statusId);
    if (listed !== undefined && listed !== 'undefined') return listed;

    return catalog.learnt.get(statusId)?.category;
  };
}

export function withWorkflow(
  catalog: StatusCatalog,
  categories: Record<string, StatusCategory>,
): StatusCatalog {
  return { ...catalog, workflow: new Map(Object.entries(categories)) };
}

/**
 * Learns the category of the status an item was observed in. The newest
 * observation wins, whatever order observations are applied in; two of
 * the same instant that disagree settle on the same one either way.
 */
export function withObservedStatus(
  catalog: StatusCatalog,
  observation: WorkItemObservation,
): StatusCatalog {
  const at = Date.parse(observation.updatedAt);
  const category = observation.statusCategory;
  const known = catalog.learnt.get(observation.statusId);
  const newer =
    known === undefined ||
    at > known.at ||
    (at === known.at && category > known.category);
  if (!newer) return catalog;

  const learnt = new Map(catalog.learnt);
  learnt.set(observation.statusId, { category, at });
  return { ...catalog, learnt };
}

/** The statuses whose fallback stage differs between two catalogs. */
export function changedFallbacks(
  before: StatusCatalog,
  after: StatusCatalog,
): string[] {
  const ids = new Set([
    ...before.workflow.keys(),
    ...before.learnt.keys(),
    ...after.workflow.keys(),
    ...after.learnt.keys(),
  ]);
  const was = knownCategories(before);
  const is = knownCategories(after);

  return [...ids].filter(
    (id) => fallbackStage(was(id)) !== fallbackStage(is(id)),
  );
}
