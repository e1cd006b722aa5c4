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

/** What one projection is doing. */
export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** The stored checkpoint position, or null before the first one. */
  checkpoint: string | null;
  /**
   * How far the checkpoint is behind the head of the log, in the store's
   * positions: events on SQLite, bytes of log on EventStoreDB. Null until
   * the head is known. The head is refreshed about once a second.
   */
  lag: number | null;
  /** Events handled by this projection since it last started. */
  applied: number;
  lastError?: ProjectionFailure;
}

/** Reported after each batch of a rebuild. */
export interface RebuildProgress {
  /** Events read from the log since the rebuild began, handled or not. */
  done: number;
  perSecond: number;
  /** Absent until the head of the log and a rate are known. */
  etaSeconds?: number;
}
