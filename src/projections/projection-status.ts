export type ProjectionState = 'catching-up' | 'live' | 'failed' | 'stopped';

/** Why a projection stopped; the event's data is never part of it. */
export interface ProjectionFailure {
  /** The error's `code` when it is one of ours, else `handler_failed`. */
  code: string;
  message: string;
  streamName?: string;
  revision?: string;
  position?: string;
}

/**
 * What one projection is doing. Lag behind the head of the log is not
 * reported: the EventStore port has no way to ask for the head position.
 */
export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** The stored checkpoint position, or null before the first one. */
  checkpoint: string | null;
  /** Events handled by this projection since it last started. */
  applied: number;
  lastError?: ProjectionFailure;
}

/** Reported after each batch of a rebuild. */
export interface RebuildProgress {
  /** Events read from the log since the rebuild began, handled or not. */
  done: number;
  perSecond: number;
  /**
   * Always absent for now: an estimate needs the head position of the
   * log, which the EventStore port does not expose.
   */
  etaSeconds?: number;
}
