import type { Stage } from '../../domain/analytics/stage.js';
import type { StatusRule } from '../../domain/analytics/status-mapping-events.js';
import type { FlowTimings } from '../../domain/analytics/flow-timings.js';
import type { WorkItemFacts } from '../../domain/analytics/work-item-facts.js';
import type { StatusCategory } from '../../domain/work-item/work-item-events.js';
import type { IndexSpec, ReadDocument } from '../../ports/read-store.js';

export const tenantsCollection = 'analytics_tenants';
export const itemsCollection = 'analytics_items';
export const catalogsCollection = 'analytics_status_catalogs';
export const fallbackUsesCollection = 'analytics_fallback_uses';
export const wipWeeksCollection = 'analytics_wip_weeks';
export const flowMonthsCollection = 'analytics_flow_months';
export const stageBalancesCollection = 'analytics_stage_balances';
export const finishedWeeksCollection = 'analytics_finished_weeks';
export const finishedPointsCollection = 'analytics_finished_points';
export const statusWeeksCollection = 'analytics_status_weeks';
export const dimensionsCollection = 'analytics_dimensions';
export const flushMarksCollection = 'analytics_flush_marks';

/**
 * The collections that hold one generation of a tenant's read models:
 * what a recomputation builds anew, and deletes once it is replaced.
 */
export const generationCollections = [
  itemsCollection,
  catalogsCollection,
  fallbackUsesCollection,
  wipWeeksCollection,
  flowMonthsCollection,
  stageBalancesCollection,
  finishedWeeksCollection,
  finishedPointsCollection,
  statusWeeksCollection,
  dimensionsCollection,
  flushMarksCollection,
] as const;

export const analyticsCollections = [
  tenantsCollection,
  ...generationCollections,
] as const;

/** The definitions one generation's numbers are computed under. */
export type GenerationSettings = {
  generation: number;
  timeZone: string;
};

export type RecomputationState = 'running' | 'done';

export type RecomputationProgress = {
  generation: number;
  state: RecomputationState;
  /** The log position the replay has read through; null before it begins. */
  after: string | null;
  /** The tenant's events replayed so far. */
  eventsDone: number;
  /** The tenant's events in the log, as the projection has counted them. */
  eventsTotal: number;
  startedAt: string;
  finishedAt: string | null;
};

/**
 * One tenant's analytics: the generation queries read, the one asked for
 * (the same unless a recomputation is due), and its progress.
 */
export type AnalyticsTenant = {
  tenantId: string;
  /** Work-item and workflow events of the tenant applied live. */
  factEvents: number;
  active: GenerationSettings;
  activeMapping: StatusRule[];
  requested: GenerationSettings;
  requestedMapping: StatusRule[];
  lastGeneration: number;
  recomputing: boolean;
  recomputation: RecomputationProgress | null;
  /** Generations replaced or abandoned, whose documents are to go. */
  staleGenerations: number[];
  /** True while a recomputation or a clean-up is due. */
  pendingWork: boolean;
  appliedPosition: string | null;
};

export interface AnalyticsTenantDocument
  extends ReadDocument, AnalyticsTenant {}

/** One generation of one tenant's read models. */
export interface GenerationRef {
  tenantId: string;
  generation: number;
}

/** Every document of a generation says whose, and which generation. */
interface GenerationDocument extends ReadDocument, GenerationRef {}

/** What the projection keeps of one work item, sealed: names are in it. */
export type ItemState = {
  facts: WorkItemFacts;
  timings: FlowTimings | null;
};

export interface ItemDocument extends GenerationDocument {
  connectionId: string;
  state: ItemState;
  appliedPosition: string | null;
}

/**
 * A connection's knowledge of status categories, apart from events. Lists
 * of objects, not of pairs: FerretDB stores no arrays inside arrays.
 */
export interface CatalogDocument extends GenerationDocument {
  connectionId: string;
  /** The last workflow observed: status id and category. */
  workflow: { id: string; category: StatusCategory }[];
  /** The newest category each status was observed in, and when. */
  learnt: { id: string; category: StatusCategory; at: number }[];
  appliedPosition: string | null;
}

/** An item whose stage for a status depends on the connection's catalog. */
export interface FallbackUseDocument extends GenerationDocument {
  connectionId: string;
  statusId: string;
  itemId: string;
}

export type WipEntry = [
  startedAt: number,
  key: string,
  status: string,
  connection: number,
  project: number,
  issueType: number,
];

/**
 * The items in progress now that started in one local week, for the
 * ageing chart, sealed: keys and status names are the customer's. One
 * decryption gives a week of them, oldest first.
 */
export interface WipWeekDocument extends GenerationDocument {
  week: number;
  items: WipEntry[];
}

export type DayCounts = {
  created?: number;
  resolved?: number;
  throughput?: number;
  /** Changes of the number of items in each stage, that day. */
  todo?: number;
  in_progress?: number;
  done?: number;
};

/** Daily counts, by day of the month: `d7` is the 7th. */
export type MonthCounts = Record<string, DayCounts>;

/**
 * One local month of a generation's daily counts: the tenant's in `all`,
 * and each connection, project and issue type's in `combos`, keyed
 * `c0p3t1` by their numbers in the generation's dimensions. A query with
 * no filters reads `all`; one with filters adds up the combinations that
 * pass them.
 */
export interface FlowMonthDocument extends GenerationDocument {
  month: number;
  all: MonthCounts;
  combos: Record<string, MonthCounts>;
}

/** Each month's net change of items per stage, by `m202405`. */
export type StageChanges = Record<string, Partial<Record<Stage, number>>>;

/** The stage changes of every month of a generation, tenant and combos. */
export interface StageBalanceDocument extends GenerationDocument {
  all: StageChanges;
  combos: Record<string, StageChanges>;
}

/** A generation's documents of one local week, by its Monday. */
interface WeekDocument extends GenerationDocument {
  week: number;
}

/**
 * The items finished in one local week, as packed numbers, seven to an
 * item: finished at, cycle time (-1 for none), lead time, the local day,
 * and the numbers of its connection, project and issue type. Queries
 * filter them in application code: one document serves every scope.
 */
export interface FinishedWeekDocument extends WeekDocument {
  entries: string;
}

export type FinishedPoint = [
  finishedAt: number,
  cycleMs: number,
  leadMs: number,
  key: string,
  day: number,
  connection: number,
  project: number,
  issueType: number,
];

/** The same items with their keys, sealed, for the scatter plots. */
export interface FinishedPointsDocument extends WeekDocument {
  points: FinishedPoint[];
}

/**
 * Time in status of the items finished in one local week, packed, seven
 * to an entry: the status's number, its stage's index, the time in ms,
 * the local day the item finished, and the numbers of its connection,
 * project and issue type.
 */
export interface StatusWeekDocument extends WeekDocument {
  entries: string;
}

/**
 * The numbers a generation's entries name its connections, projects,
 * issue types and statuses by, in the order first met. Status names are
 * the customer's, so they are sealed, once, here.
 */
export interface DimensionsDocument extends GenerationDocument {
  connections: string[];
  projects: string[];
  issueTypes: string[];
  statusNames: string[];
}

export const analyticsEncryptedFields: Readonly<
  Record<string, readonly string[]>
> = {
  [tenantsCollection]: [
    'activeMapping',
    'requestedMapping',
  ] satisfies (keyof AnalyticsTenantDocument)[],
  [itemsCollection]: ['state'] satisfies (keyof ItemDocument)[],
  [wipWeeksCollection]: ['items'] satisfies (keyof WipWeekDocument)[],
  [finishedPointsCollection]: [
    'points',
  ] satisfies (keyof FinishedPointsDocument)[],
  [dimensionsCollection]: [
    'statusNames',
  ] satisfies (keyof DimensionsDocument)[],
};

const byGeneration: IndexSpec = {
  name: 'by_generation',
  fields: [
    ['tenantId', 1],
    ['generation', 1],
  ],
};

const byWeek: IndexSpec = {
  name: 'by_week',
  fields: [
    ['tenantId', 1],
    ['generation', 1],
    ['week', 1],
  ],
};

export const analyticsIndexes: Readonly<Record<string, IndexSpec[]>> = {
  [tenantsCollection]: [{ name: 'by_work', fields: [['pendingWork', 1]] }],
  [itemsCollection]: [byGeneration],
  [catalogsCollection]: [byGeneration],
  [fallbackUsesCollection]: [
    byGeneration,
    {
      name: 'by_status',
      fields: [
        ['tenantId', 1],
        ['generation', 1],
        ['connectionId', 1],
        ['statusId', 1],
      ],
    },
  ],
  [wipWeeksCollection]: [byWeek],
  [flowMonthsCollection]: [
    {
      name: 'by_month',
      fields: [
        ['tenantId', 1],
        ['generation', 1],
        ['month', 1],
      ],
    },
  ],
  [stageBalancesCollection]: [byGeneration],
  [finishedWeeksCollection]: [byWeek],
  [finishedPointsCollection]: [byWeek],
  [statusWeeksCollection]: [byWeek],
  [dimensionsCollection]: [byGeneration],
};

/** The filters a query may give; absent means any. */
export interface ScopeFilter {
  connectionId?: string;
  projectIndex?: string;
  issueTypeIndex?: string;
}

/** The key of a combination of dimension numbers in `combos`. */
export function comboKey(
  connection: number,
  project: number,
  issueType: number,
): string {
  return `c${connection}p${project}t${issueType}`;
}

const comboPattern = /^c(\d+)p(\d+)t(\d+)$/;

export function comboOf(key: string): [number, number, number] | undefined {
  const match = comboPattern.exec(key);

  return match
    ? [Number(match[1]), Number(match[2]), Number(match[3])]
    : undefined;
}

export function itemIdOf(
  tenantId: string,
  generation: number,
  connectionId: string,
  issueId: string,
): string {
  return [tenantId, generation, connectionId, issueId].join('|');
}

/** Documents that are one per generation, or per generation and week. */
export function generationIdOf(
  tenantId: string,
  generation: number,
  week?: number,
): string {
  const id = `${tenantId}|${generation}`;

  return week === undefined ? id : `${id}|w${week}`;
}

export function catalogIdOf(
  tenantId: string,
  generation: number,
  connectionId: string,
): string {
  return [tenantId, generation, connectionId].join('|');
}

/** Field names of days and months: a path segment starts with a letter. */
export const dayField = (dayOfMonth: number) => `d${dayOfMonth}`;
export const monthField = (month: number) => `m${month}`;
