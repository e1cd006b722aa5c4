import { fallbackUsesCollection } from './analytics-documents.js';
import {
  counterDifference,
  counterRef,
  noContribution,
} from './item-contributions.js';
import type { ItemContribution, Placement } from './item-contributions.js';
import type { EntryPlace, PendingWrites } from './pending-writes.js';

/** The generation of a tenant's read models a change goes to. */
export interface GenerationRef {
  tenantId: string;
  generation: number;
}

/**
 * Only the fields that say whose and which generation: a context that
 * carries more (the mapping, which names statuses) must not be spread
 * into a document.
 */
function owner({ tenantId, generation }: GenerationRef) {
  return { tenantId, generation };
}

/** An item's contribution where it counts; unplaced until observed. */
export interface PlacedContribution {
  placement: Placement | null;
  contribution: ItemContribution;
  fallbackStatusIds: string[];
}

export const unplaced: PlacedContribution = {
  placement: null,
  contribution: noContribution,
  fallbackStatusIds: [],
};

/**
 * Records how one item's change moves the counts, entries and derived
 * documents: the old contribution comes out of where the item counted,
 * the new one goes into where it counts now.
 */
export function recordItemChange(
  pending: PendingWrites,
  generation: GenerationRef,
  item: { id: string; connectionId: string },
  before: PlacedContribution,
  after: PlacedContribution,
  position: bigint,
): void {
  const placeBefore = placeOf(before.placement);
  const placeAfter = placeOf(after.placement);
  const samePlace = JSON.stringify(placeBefore) === JSON.stringify(placeAfter);

  if (samePlace) {
    if (placeAfter) {
      const difference = counterDifference(
        before.contribution.counters,
        after.contribution.counters,
      );
      countIn(pending, generation, placeAfter, difference, 1, position);
    }
  } else {
    if (placeBefore) {
      const { counters } = before.contribution;
      countIn(pending, generation, placeBefore, counters, -1, position);
    }
    if (placeAfter) {
      const { counters } = after.contribution;
      countIn(pending, generation, placeAfter, counters, 1, position);
    }
  }

  const keyChanged = before.placement?.key !== after.placement?.key;
  if (!samePlace || keyChanged || entriesDiffer(before, after)) {
    entriesIn(pending, generation, before, -1, position);
    entriesIn(pending, generation, after, 1, position);
  }

  if (wipOf(before) !== wipOf(after)) {
    recordWip(pending, generation, before, -1, position);
    recordWip(pending, generation, after, 1, position);
  }
  recordFallbackUses(pending, generation, item, before, after, position);
}

function placeOf(placement: Placement | null): EntryPlace | null {
  return (
    placement && [
      placement.connectionId,
      placement.projectIndex,
      placement.issueTypeIndex,
    ]
  );
}

function countIn(
  pending: PendingWrites,
  generation: GenerationRef,
  place: EntryPlace,
  counters: Map<string, number>,
  sign: 1 | -1,
  position: bigint,
): void {
  for (const [key, n] of counters) {
    pending.count(generation, place, counterRef(key), sign * n, position);
  }
}

function entriesDiffer(
  before: PlacedContribution,
  after: PlacedContribution,
): boolean {
  const entries = (placed: PlacedContribution) =>
    JSON.stringify([
      placed.contribution.finished,
      placed.contribution.statusTimes,
    ]);

  return entries(before) !== entries(after);
}

/** Finished items count once per generation, their place beside them. */
function entriesIn(
  pending: PendingWrites,
  generation: GenerationRef,
  placed: PlacedContribution,
  n: 1 | -1,
  position: bigint,
): void {
  const { placement, contribution } = placed;
  const { finished, statusTimes } = contribution;
  if (finished === null || placement === null) return;

  const place = placeOf(placement)!;
  const { day, finishedAt, cycleMs, leadMs } = finished;
  pending.finished(
    generation,
    [finishedAt, cycleMs, leadMs, placement.key, day, ...place],
    n,
    position,
  );
  for (const { status, stage, ms } of statusTimes) {
    pending.statusTime(
      generation,
      [status, stage, ms, day, ...place],
      n,
      position,
    );
  }
}

/** What the ageing entry shows, to tell whether it changed. */
function wipOf({ placement, contribution }: PlacedContribution): string {
  return JSON.stringify(contribution.wip && [placement, contribution.wip]);
}

function recordWip(
  pending: PendingWrites,
  generation: GenerationRef,
  placed: PlacedContribution,
  n: 1 | -1,
  position: bigint,
): void {
  const { wip } = placed.contribution;
  const place = placeOf(placed.placement);
  if (wip === null || place === null) return;

  pending.wip(
    generation,
    wip.day,
    [wip.startedAt, placed.placement!.key, wip.status, ...place],
    n,
    position,
  );
}

function recordFallbackUses(
  pending: PendingWrites,
  generation: GenerationRef,
  item: { id: string; connectionId: string },
  before: PlacedContribution,
  after: PlacedContribution,
  position: bigint,
): void {
  const now = new Set(after.fallbackStatusIds);

  for (const statusId of before.fallbackStatusIds) {
    if (now.has(statusId)) continue;
    pending.setDerived(
      fallbackUsesCollection,
      fallbackUseId(item.id, statusId),
      null,
      position,
    );
  }
  for (const statusId of now) {
    pending.setDerived(
      fallbackUsesCollection,
      fallbackUseId(item.id, statusId),
      {
        ...owner(generation),
        connectionId: item.connectionId,
        statusId,
        itemId: item.id,
      },
      position,
    );
  }
}

export function fallbackUseId(itemId: string, statusId: string): string {
  return `${itemId}|${statusId}`;
}
