import type { EventStore } from '../ports/event-store.js';
import type { Logger } from '../ports/logger.js';
import type { ReadStore } from '../ports/read-store.js';
import { Checkpoints } from './checkpoints.js';
import { LogHead } from './log-head.js';
import type { Projection } from './projection.js';
import {
  DuplicateProjectionError,
  ProjectionsNotAlignedError,
  UnknownProjectionError,
} from './projection-errors.js';
import type { ProjectionStatus, RebuildProgress } from './projection-status.js';
import { ProjectionWorker } from './projection-worker.js';
import type { BatchListener } from './projection-worker.js';

export interface ProjectionRunnerOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  logger: Logger;
  projections: readonly Projection[];
  /**
   * Most events applied before a checkpoint is stored; by default what
   * each projection asks for, else 1,000.
   */
  batchSize?: number;
  /**
   * Least time between two batches of one projection that are not full.
   * The first events after a quiet spell are applied at once.
   */
  batchMs?: number;
  /** How often the head of the log is read, for lag and estimates. */
  headIntervalMs?: number;
}

/** What holds the projections at one position: a runner, or its thread. */
export type ProjectionHold = Pick<ProjectionRunner, 'atOnePosition'>;

/**
 * Keeps the read models up to date. Each projection follows the log on
 * its own, so one that fails stops alone while the others keep going.
 */
export class ProjectionRunner {
  private readonly workers = new Map<string, ProjectionWorker>();
  private readonly projections = new Map<string, Projection>();
  private readonly readStore: ReadStore;
  private readonly head: LogHead;
  /** Pauses queue behind each other: one holds the projections at once. */
  private paused: Promise<unknown> = Promise.resolve();

  constructor(options: ProjectionRunnerOptions) {
    this.readStore = options.readStore;
    this.head = new LogHead(
      options.eventStore,
      options.logger,
      options.headIntervalMs ?? 1000,
    );

    for (const projection of options.projections) {
      if (this.workers.has(projection.name)) {
        throw new DuplicateProjectionError(projection.name);
      }

      const worker = new ProjectionWorker({
        projection,
        head: this.head,
        eventStore: options.eventStore,
        readStore: options.readStore,
        logger: options.logger,
        batchSize: options.batchSize ?? projection.batchSize ?? 1000,
        batchMs: options.batchMs ?? 50,
      });
      this.workers.set(projection.name, worker);
      this.projections.set(projection.name, projection);
    }
  }

  async start(): Promise<void> {
    await this.head.start();
    for (const projection of this.projections.values()) {
      await this.ensureIndexes(projection);
    }

    await Promise.all([...this.workers.values()].map((w) => w.start()));
  }

  async stop(): Promise<void> {
    this.head.stop();
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }

  status(): ProjectionStatus[] {
    return [...this.workers.values()].map((w) => w.status());
  }

  /**
   * Runs work while every projection stands at the same position of the
   * log, having applied every event up to it and none after: the read
   * models then agree with one point of the log, as a snapshot needs.
   * Events keep arriving meanwhile, and are applied after.
   */
  atOnePosition<Result>(
    work: (position: bigint | undefined) => Promise<Result>,
    timeoutMs = 60_000,
  ): Promise<Result> {
    const run = this.paused.then(() => this.holdAll(work, timeoutMs));
    this.paused = run.catch(() => undefined);

    return run;
  }

  private async holdAll<Result>(
    work: (position: bigint | undefined) => Promise<Result>,
    timeoutMs: number,
  ): Promise<Result> {
    const workers = [...this.workers.values()];

    try {
      const stopped = await Promise.all(workers.map((w) => w.pause()));
      const position = stopped.reduce<bigint | undefined>(
        (max, at) =>
          at !== undefined && (max === undefined || at > max) ? at : max,
        undefined,
      );
      if (position !== undefined) {
        await withTimeout(
          Promise.all(workers.map((w) => w.advanceTo(position))),
          timeoutMs,
          'the projections did not all reach one position; one may have failed',
        );
      }

      return await work(position);
    } finally {
      for (const worker of workers) worker.resume();
    }
  }

  /**
   * Empties the projection's collections and checkpoint, then replays the
   * whole log into them. Resolves once it has caught up, or failed.
   */
  async rebuild(
    name: string,
    onProgress?: (progress: RebuildProgress) => void,
  ): Promise<ProjectionStatus> {
    const worker = this.workers.get(name);
    const projection = this.projections.get(name);
    if (!worker || !projection) throw new UnknownProjectionError(name);

    await worker.stop();
    await this.readStore.inBatch(async (batch) => {
      for (const collection of projection.collections) {
        await batch.collection(collection).deleteMany({});
      }
      await new Checkpoints(batch).remove(name);
    });
    await this.ensureIndexes(projection);

    await this.head.refresh();
    let reporting = true;
    const report = progressReporter(this.head, (progress) => {
      if (reporting) onProgress?.(progress);
    });
    await worker.start(report);
    await worker.whenSettled();
    reporting = false;

    return worker.status();
  }

  private async ensureIndexes(projection: Projection): Promise<void> {
    for (const [collection, indexes] of Object.entries(projection.indexes)) {
      await this.readStore.collection(collection).ensureIndexes(indexes);
    }
  }
}

async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  message: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProjectionsNotAlignedError(message)),
      ms,
    );
  });

  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function progressReporter(
  head: LogHead,
  report: (progress: RebuildProgress) => void,
): BatchListener {
  const started = Date.now();
  let done = 0;

  return (events, checkpoint) => {
    done += events;
    // A rebuild of a small log can finish within the first millisecond.
    const seconds = Math.max(Date.now() - started, 1) / 1000;
    const progress = { done, perSecond: Math.round(done / seconds) };

    // Positions are not event counts on every store, so the estimate
    // compares positions left with positions covered per second.
    const left = head.lagBehind(checkpoint);
    const covered = Number(checkpoint) / seconds;
    report(
      left === null || covered <= 0
        ? progress
        : { ...progress, etaSeconds: Math.round(left / covered) },
    );
  };
}
