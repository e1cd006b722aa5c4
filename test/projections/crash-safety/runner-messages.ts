import type { ProjectionState } from '../../../src/projections/projection-status.js';

/**
 * What the test process and a runner child say to each other over IPC.
 * Children are forked with advanced serialization, so bigints travel.
 */

/** Where the child keeps the read models. Events are always in SQLite. */
export type ReadStoreSpec =
  { kind: 'sqlite'; file: string } | { kind: 'mongodb'; url: string };

/** What a child is started with, as one JSON argument. */
export interface RunnerChildOptions {
  eventsFile: string;
  readStore: ReadStoreSpec;
  /** Where the child writes the position of each event it applies. */
  progressFile: string;
  /** Most events per batch: a checkpoint is stored after each. */
  batchSize: number;
  /** A wait before each event is applied, to slow a fast store down. */
  applyDelayMs: number;
}

/** Sent by the child every few milliseconds while it runs. */
export interface RunnerReport {
  kind: 'report';
  state: ProjectionState;
  /** The checkpoint this life of the child started from. */
  startedFrom: bigint | undefined;
  /** The checkpoint stored last. */
  checkpoint: bigint | undefined;
  /** The last event handed to the read store, committed or not. */
  lastApplied: bigint | undefined;
  failure?: string;
}

export interface StopCommand {
  kind: 'stop';
}
