import { columnOf, workItemOf } from './work-item-moves.js';

/** One document write of the raw baselines, taken from the n-th event. */
export interface Move {
  id: string;
  column: string;
  position: number;
}

/**
 * The writes the projection makes for a log of `events`, built before the
 * clock starts, so the raw rates count the document writes alone.
 */
export function movesOf(events: number): Move[] {
  return Array.from({ length: events }, (_, n) => ({
    id: workItemOf(n, events),
    column: columnOf(n),
    position: n + 1,
  }));
}
