import type { Worker } from 'node:worker_threads';

import type { Logger } from '../../ports/logger.js';
import { startThread } from '../../threads.js';
import type { PageText } from './log-page.js';

/** Asks the thread for the page of the log after a position. */
export interface PageRequest {
  id: number;
  after: bigint;
  limit: number;
}

/** A page of the log as text; none when the thread declined the page. */
export interface PageMessage {
  kind: 'page';
  id: number;
  after: bigint;
  text: string | undefined;
}

/** What the thread sends: that it is open, or a page. */
export type ThreadMessage = { kind: 'ready' } | PageMessage;

type State = 'idle' | 'starting' | 'ready' | 'failed' | 'closed';

/**
 * Reads pages of the log on a thread of its own, so a projection catching
 * up can apply one page while the next is read and encoded on the other
 * core. It is only an accelerator: it answers undefined whenever it cannot
 * help (not started yet, declined, failed or closed), and the caller then
 * reads the page itself. So it never rejects, and every read error is
 * reported by the caller's own read, exactly as without it.
 */
export class SqliteLogReader {
  private state: State = 'idle';
  private worker: Worker | undefined;
  private lastId = 0;
  private readonly pending = new Map<
    number,
    (page: PageText | undefined) => void
  >();

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  /**
   * The page after `after`, up to `limit` events, as text: it is decoded
   * when it is used, so a page read ahead holds no objects meanwhile.
   */
  read(after: bigint, limit: number): Promise<PageText | undefined> {
    if (this.state === 'idle') this.start();
    if (this.state !== 'ready') return Promise.resolve(undefined);

    const id = ++this.lastId;
    const request: PageRequest = { id, after, limit };
    if (this.pending.size === 0) this.worker!.ref();
    this.worker!.postMessage(request);

    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.state = 'closed';
    this.worker = undefined;
    this.declineAll();

    await worker?.terminate();
  }

  private start(): void {
    this.state = 'starting';
    const worker = startThread(import.meta.url, 'log-reader-thread', {
      file: this.file,
    });
    this.worker = worker;
    // An idle thread must not keep the process alive.
    worker.unref();

    worker.on('message', (message: ThreadMessage) => this.receive(message));
    worker.on('error', (error) => this.fail(worker, { err: error }));
    worker.on('exit', (exitCode) => this.fail(worker, { exitCode }));
  }

  private receive(message: ThreadMessage): void {
    if (message.kind === 'ready') {
      if (this.state === 'starting') this.state = 'ready';
      return;
    }

    const answer = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker?.unref();
    const { after, text } = message;
    answer?.(text === undefined ? undefined : { after, text });
  }

  /** From now on the store reads the log itself; nothing is lost. */
  private fail(worker: Worker, why: object): void {
    if (worker !== this.worker) return;

    this.logger.warn(
      why,
      'the log reader thread stopped; reading the log on the main thread',
    );
    this.state = 'failed';
    this.worker = undefined;
    this.declineAll();
    void worker.terminate();
  }

  private declineAll(): void {
    for (const answer of this.pending.values()) answer(undefined);
    this.pending.clear();
  }
}
