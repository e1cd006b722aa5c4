import { concatMap, from } from 'rxjs';
import type { Subscription } from 'rxjs';

import { HakkiriError } from '../domain/hakkiri-error.js';
import type {
  EventStore,
  RecordedEvent,
  SubscriptionMessage,
} from '../ports/event-store.js';
import type { Logger } from '../ports/logger.js';
import type { ReadStore } from '../ports/read-store.js';
import { batches } from './batches.js';
import { Checkpoints } from './checkpoints.js';
import type { Checkpoint } from './checkpoints.js';
import type { LogHead } from './log-head.js';
import type { Projection, ProjectionBatch } from './projection.js';
import type {
  ProjectionFailure,
  ProjectionState,
  ProjectionStatus,
} from './projection-status.js';

export interface ProjectionWorkerOptions {
  projection: Projection;
  eventStore: EventStore;
  readStore: ReadStore;
  head: LogHead;
  logger: Logger;
  batchSize: number;
  batchMs: number;
}

/**
 * Told how many events of the log each finished batch covered, and the
 * checkpoint it reached.
 */
export type BatchListener = (events: number, checkpoint: bigint) => void;

/**
 * Runs one projection: follows the log from its checkpoint, applies the
 * events it handles in order, batch by batch, and stores the checkpoint
 * after each batch.
 */
export class ProjectionWorker {
  private state: ProjectionState = 'stopped';
  private checkpoint: Checkpoint = { position: undefined, version: 'absent' };
  private applied = 0;
  private lastError: ProjectionFailure | undefined;
  private subscription: Subscription | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private onBatch: BatchListener | undefined;
  private waiting: (() => void)[] = [];
  /** While paused: how far the worker may go, and who waits on it. */
  private gate: Gate | undefined;

  private readonly logger: Logger;

  constructor(private readonly options: ProjectionWorkerOptions) {
    this.logger = options.logger.child({ projection: this.name });
  }

  get name(): string {
    return this.options.projection.name;
  }

  async start(onBatch?: BatchListener): Promise<void> {
    if (this.subscription) return;

    const { eventStore, readStore, batchMs, batchSize } = this.options;
    this.checkpoint = await new Checkpoints(readStore).load(this.name);
    this.applied = 0;
    this.lastError = undefined;
    this.onBatch = onBatch;
    this.state = 'catching-up';

    this.subscription = eventStore
      .subscribe({
        after: this.checkpoint.position,
        types: this.options.projection.types,
      })
      .pipe(
        batches(batchSize, batchMs, (message) => message.kind === 'caught-up'),
        concatMap((batch) => {
          this.inFlight = this.applyGated(batch);
          return from(this.inFlight);
        }),
      )
      .subscribe({
        error: (error: unknown) =>
          this.fail(failureOf(error, 'subscription_failed')),
      });
  }

  /** Unsubscribes, then lets the batch in flight finish and checkpoint. */
  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.onBatch = undefined;

    await this.inFlight;

    if (this.state !== 'failed') this.state = 'stopped';
    this.settle();
  }

  /** Resolves once the projection is live, failed or stopped. */
  whenSettled(): Promise<void> {
    if (this.state !== 'catching-up') return Promise.resolve();

    return new Promise((resolve) => this.waiting.push(resolve));
  }

  status(): ProjectionStatus {
    const position = this.checkpoint.position;

    return {
      name: this.name,
      state: this.state,
      checkpoint: position === undefined ? null : position.toString(),
      lag: this.options.head.lagBehind(position),
      applied: this.applied,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /**
   * Stops applying events at the next batch boundary. Resolves with the
   * checkpoint it stopped at; events that arrive wait.
   */
  async pause(): Promise<bigint | undefined> {
    this.gate ??= new Gate();
    this.gate.limit = 'none';
    await this.inFlight;

    return this.checkpoint.position;
  }

  /**
   * Lets a paused worker apply every event up to `position`, and none
   * after it. Resolves once it has.
   */
  advanceTo(position: bigint): Promise<void> {
    const gate = (this.gate ??= new Gate());
    gate.limit = position;
    gate.changed();

    return gate.reached(() => this.checkpoint.position);
  }

  /** Lets a paused worker go on with the log. */
  resume(): void {
    const gate = this.gate;
    this.gate = undefined;
    gate?.changed();
  }

  /** Applies a batch, in parts where a gate cuts it, waiting at the gate. */
  private async applyGated(batch: SubscriptionMessage[]): Promise<void> {
    let rest = batch;
    for (;;) {
      const gate = this.gate;
      const cut = gate ? cutAt(rest, gate.limit) : rest.length;

      if (cut > 0) await this.applyInBatch(rest.slice(0, cut));
      rest = rest.slice(cut);
      gate?.progressed();
      if (rest.length === 0 || !gate) return;

      await gate.nextChange();
    }
  }

  /** Where the store allows, the documents and checkpoint commit together. */
  private applyInBatch(batch: SubscriptionMessage[]): Promise<void> {
    return this.options.readStore.inBatch((store) =>
      this.applyBatch(batch, store),
    );
  }

  private async applyBatch(
    batch: SubscriptionMessage[],
    store: ReadStore,
  ): Promise<void> {
    const { projection } = this.options;
    let position = this.checkpoint.position;
    let caughtUp = false;
    let failure: ProjectionFailure | undefined;

    const applying = await projection.openBatch(store);
    for (const message of batch) {
      if (message.kind === 'caught-up') {
        caughtUp = true;
        continue;
      }
      if (message.kind === 'passed') {
        position = message.position;
        continue;
      }

      // Events of other types belong to other projections: not an error.
      // The handler is awaited here, not in a helper of its own: a batch
      // of a catch-up makes this step a million times.
      const recorded = message.event;
      if (projection.types.has(recorded.type)) {
        try {
          await applying.apply(recorded);
        } catch (error) {
          failure = handlerFailure(error, recorded);
          break;
        }
        this.applied += 1;
      }
      position = recorded.position;
    }
    // What the events before a failing one changed is kept.
    const unfinished = await this.finish(applying);
    if (unfinished) {
      this.fail(unfinished);
      return;
    }

    if (failure) {
      if (await this.storeCheckpoint(position, store)) this.fail(failure);
      return;
    }

    if (!(await this.storeCheckpoint(position, store))) return;

    if (caughtUp && this.state === 'catching-up') {
      this.state = 'live';
      this.settle();
    }
    const events = batch.filter((m) => m.kind !== 'caught-up').length;
    if (position !== undefined && events > 0) this.onBatch?.(events, position);
  }

  /**
   * Writes what the batch's events changed. When that fails, the batch
   * stores no checkpoint: its events are applied again on restart, and
   * the projection's own guards skip what did land.
   */
  private async finish(
    applying: ProjectionBatch,
  ): Promise<ProjectionFailure | undefined> {
    try {
      await applying.finish();
      return undefined;
    } catch (error) {
      return failureOf(error, 'batch_failed');
    }
  }

  /** False when the projection had to stop instead. */
  private async storeCheckpoint(
    position: bigint | undefined,
    store: ReadStore,
  ) {
    if (position === undefined || position === this.checkpoint.position) {
      return true;
    }

    try {
      const checkpoints = new Checkpoints(store);
      const expected = this.checkpoint.version;
      const write = await checkpoints.store(this.name, position, expected);
      if (write.kind === 'stored') {
        this.checkpoint = write.checkpoint;
        return true;
      }

      this.fail({
        code: 'checkpoint_taken_over',
        message:
          `The checkpoint of ${this.name} is at version ${write.actual}, ` +
          `not ${expected}: another runner has taken this projection over`,
      });
    } catch (error) {
      this.fail(failureOf(error, 'checkpoint_failed'));
    }

    return false;
  }

  private fail(failure: ProjectionFailure): void {
    this.logger.error(failure, 'projection stopped');
    this.state = 'failed';
    this.lastError = failure;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.settle();
  }

  private settle(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/**
 * How far a paused worker may go: nowhere yet, or up to a position. It
 * wakes the batch waiting at it when that changes, and whoever waits
 * for the worker to reach its limit.
 */
class Gate {
  limit: bigint | 'none' = 'none';
  private wake: (() => void)[] = [];
  private arrivals: (() => void)[] = [];

  nextChange(): Promise<void> {
    return new Promise((resolve) => this.wake.push(resolve));
  }

  changed(): void {
    const waking = this.wake;
    this.wake = [];
    for (const resolve of waking) resolve();
  }

  reached(position: () => bigint | undefined): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const at = position();
        const arrived =
          this.limit !== 'none' && at !== undefined && at >= this.limit;
        if (arrived) resolve();
        else this.arrivals.push(check);
      };
      check();
    });
  }

  /** The worker applied a part of a batch: it may be where it must be. */
  progressed(): void {
    const arriving = this.arrivals;
    this.arrivals = [];
    for (const arrive of arriving) arrive();
  }
}

/** The messages of a batch the gate lets through: a count from the start. */
function cutAt(batch: SubscriptionMessage[], limit: bigint | 'none'): number {
  if (limit === 'none') return 0;

  const past = batch.findIndex((message) => {
    const position = positionOf(message);
    return position !== undefined && position > limit;
  });
  return past === -1 ? batch.length : past;
}

function positionOf(message: SubscriptionMessage): bigint | undefined {
  if (message.kind === 'event') return message.event.position;
  if (message.kind === 'passed') return message.position;

  return undefined;
}

function handlerFailure(
  error: unknown,
  recorded: RecordedEvent,
): ProjectionFailure {
  return {
    ...failureOf(error, 'handler_failed'),
    streamName: recorded.streamName,
    revision: recorded.revision.toString(),
    position: recorded.position.toString(),
  };
}

function failureOf(error: unknown, fallbackCode: string): ProjectionFailure {
  return {
    code: error instanceof HakkiriError ? error.code : fallbackCode,
    message: error instanceof Error ? error.message : String(error),
  };
}
