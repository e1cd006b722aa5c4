import type { Transaction } from 'better-sqlite3';

import type { SqliteDatabase } from './sqlite-database.js';
import type { WrittenRows } from './written-rows.js';

/** Runs one synchronous read-modify-write in a transaction. */
export type Writer = <Result>(work: () => Result) => Promise<Result>;

/**
 * Write transactions on one connection. A batch keeps one transaction
 * open across its awaits, so every write of the batch commits together;
 * batches run one at a time. Writes come in two kinds: those of the open
 * batch join its transaction, and all others wait for it to end, instead
 * of slipping into a transaction they do not own.
 */
export class SqliteBatches {
  private readonly single: Transaction<(work: () => unknown) => unknown>;
  private lastBatch: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly written: WrittenRows,
  ) {
    this.single = db.transaction((work: () => unknown) => {
      written.check();
      return work();
    });
  }

  async batch<Result>(work: () => Promise<Result>): Promise<Result> {
    const previous = this.lastBatch;
    let release = () => {};
    this.lastBatch = new Promise((resolve) => (release = resolve));
    await previous;

    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.written.check();
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.written.clear();
      throw error;
    } finally {
      release();
    }
  }

  /**
   * A write from outside any batch: it waits for the open batch, then runs
   * in an IMMEDIATE transaction of its own, so another process cannot
   * write between its read and its write.
   */
  readonly outside: Writer = async (work) => {
    await this.lastBatch;

    try {
      return this.single.immediate(work) as ReturnType<typeof work>;
    } catch (error) {
      this.written.clear();
      throw error;
    }
  };

  /**
   * Work that must run outside any transaction, such as a checkpoint of
   * the log: it waits until no batch is open, then runs at once.
   */
  async whenIdle<Result>(work: () => Result): Promise<Result> {
    for (;;) {
      const last = this.lastBatch;
      await last;
      if (last === this.lastBatch && !this.db.inTransaction) return work();
    }
  }

  /**
   * A write of the open batch. Between awaits only a batch keeps a
   * transaction open, so one that is open is this batch's; a write made
   * after its batch has ended runs as an outside write.
   */
  readonly inside: Writer = (work) => {
    if (!this.db.inTransaction) return this.outside(work);

    // A batch makes one write per event: one settled promise, no more.
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
