import type { Worker } from 'node:worker_threads';

import { HakkiriError } from './domain/hakkiri-error.js';
import { relayLine } from './logger.js';
import type { Logger } from './ports/logger.js';
import { ProjectionsNotAlignedError } from './projections/projection-errors.js';
import type { ProjectionStatus } from './projections/projection-status.js';
import { storeConfigOf } from './service-stores.js';
import type { StoreConfig } from './service-stores.js';
import { startThread } from './threads.js';

/** What the service asks of its projection thread. */
export type ThreadRequest =
  | { kind: 'hold'; id: number; timeoutMs: number }
  | { kind: 'release'; id: number }
  | { kind: 'status'; id: number }
  | { kind: 'stop' };

/** An error as it crosses from the thread: its code and message. */
export interface ThreadError {
  code: string;
  message: string;
}

/** What the projection thread tells the service. */
export type ThreadReport =
  | { kind: 'ready' }
  | { kind: 'log'; line: string }
  | { kind: 'held'; id: number; position: bigint | undefined }
  | { kind: 'status'; id: number; statuses: ProjectionStatus[] }
  | { kind: 'failed'; id: number | undefined; error: ThreadError }
  | { kind: 'stopped' };

/** What the thread is started with. */
export interface ThreadData {
  stores: StoreConfig;
  logLevel: string;
}

/** The projection thread stopped, or could not start. */
export class ProjectionThreadError extends HakkiriError {
  readonly code = 'projection_thread_failed';
}

export interface ProjectionThreadOptions {
  stores: StoreConfig;
  logger: Logger;
  /** How long after an unexpected exit the thread is started again. */
  restartMs?: number;
}

interface Answer {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * The projections, and the analytics recomputations beside them, run on
 * a thread of their own with their own connections to the stores, so
 * that requests are answered on this thread while the log is applied on
 * the other core. Commands wait for the checkpoints the thread stores,
 * as they would for another process. A thread that stops unexpectedly is
 * started again; its projections go on from their checkpoints.
 */
export class ProjectionThread {
  private worker: Worker | undefined;
  private lastId = 0;
  private readonly answers = new Map<number, Answer>();
  private stopping = false;
  private restart: NodeJS.Timeout | undefined;

  private constructor(private readonly options: ProjectionThreadOptions) {}

  /** Resolves once the thread's projections have started. */
  static async start(
    options: ProjectionThreadOptions,
  ): Promise<ProjectionThread> {
    const thread = new ProjectionThread(options);
    await thread.spawn();

    return thread;
  }

  /** The status of each projection, as the thread sees it now. */
  status(): Promise<ProjectionStatus[]> {
    const id = ++this.lastId;

    return this.ask({ kind: 'status', id }) as Promise<ProjectionStatus[]>;
  }

  /**
   * Runs work here while every projection of the thread stands at one
   * position of the log and its recomputations wait, as
   * `ProjectionRunner.atOnePosition` does in its own process.
   */
  async atOnePosition<Result>(
    work: (position: bigint | undefined) => Promise<Result>,
    timeoutMs = 60_000,
  ): Promise<Result> {
    const id = ++this.lastId;
    const position = (await this.ask({ kind: 'hold', id, timeoutMs })) as
      bigint | undefined;

    try {
      return await work(position);
    } finally {
      this.worker?.postMessage({ kind: 'release', id } satisfies ThreadRequest);
    }
  }

  /** The projections store their last checkpoints, then the thread ends. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restart);
    const worker = this.worker;
    if (!worker) return;

    const stopped = new Promise<void>((resolve) => {
      worker.on('message', (report: ThreadReport) => {
        if (report.kind === 'stopped') resolve();
      });
      worker.once('exit', () => resolve());
    });
    worker.postMessage({ kind: 'stop' } satisfies ThreadRequest);
    await stopped;
    await worker.terminate();
  }

  private spawn(): Promise<void> {
    const { stores, logger } = this.options;
    const data: ThreadData = {
      stores: storeConfigOf(stores),
      logLevel: logger.level,
    };
    const worker = startThread(import.meta.url, 'projection-thread-main', data);
    this.worker = worker;

    return new Promise((resolve, reject) => {
      let started = false;
      const refuse = (error: Error) => {
        this.worker = undefined;
        void worker.terminate();
        reject(error);
      };

      worker.on('message', (report: ThreadReport) => {
        if (report.kind === 'ready') {
          started = true;
          resolve();
        } else if (report.kind === 'failed' && report.id === undefined) {
          refuse(new ProjectionThreadError(report.error.message));
        } else {
          this.receive(report);
        }
      });
      worker.on('error', (error) => {
        if (started)
          logger.error({ err: error }, 'the projection thread failed');
        else refuse(error);
      });
      worker.on('exit', (exitCode) => {
        if (started) this.exited(worker, exitCode);
        else refuse(new ProjectionThreadError('it ended as it started'));
      });
    });
  }

  private receive(report: ThreadReport): void {
    if (report.kind === 'log') {
      relayLine(this.options.logger, report.line);
    } else if (report.kind === 'held') {
      this.answer(report.id)?.resolve(report.position);
    } else if (report.kind === 'status') {
      this.answer(report.id)?.resolve(report.statuses);
    } else if (report.kind === 'failed' && report.id !== undefined) {
      this.answer(report.id)?.reject(errorOf(report.error));
    }
  }

  private ask(request: ThreadRequest & { id: number }): Promise<unknown> {
    const worker = this.worker;
    if (!worker || this.stopping) {
      return Promise.reject(
        new ProjectionThreadError('the projection thread is not running'),
      );
    }

    return new Promise((resolve, reject) => {
      this.answers.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  private answer(id: number): Answer | undefined {
    const answer = this.answers.get(id);
    this.answers.delete(id);

    return answer;
  }

  private exited(worker: Worker, exitCode: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;

    for (const answer of this.answers.values()) {
      answer.reject(new ProjectionThreadError('the projection thread ended'));
    }
    this.answers.clear();
    if (this.stopping) return;

    this.options.logger.error(
      { exitCode },
      'the projection thread stopped unexpectedly; starting it again',
    );
    this.startAgain();
  }

  private startAgain(): void {
    const { logger, restartMs = 1000 } = this.options;

    this.restart = setTimeout(() => {
      if (this.stopping) return;
      this.spawn().catch((error: unknown) => {
        logger.error({ err: error }, 'the projection thread did not start');
        this.startAgain();
      });
    }, restartMs);
  }
}

function errorOf({ code, message }: ThreadError): Error {
  return code === 'projections_not_aligned'
    ? new ProjectionsNotAlignedError(message)
    : new ProjectionThreadError(message);
}
