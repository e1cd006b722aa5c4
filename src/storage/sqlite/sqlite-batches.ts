import { AsyncLocalStorage } from 'node:async_hooks';

import type { Transaction } from 'better-sqlite3';

import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Write transactions on one connection. A batch keeps one transaction
 * open across its awaits, so every write of the batch commits together;
 * batches run one at a time. A write from outside the open batch waits
 * for it to end, instead of slipping into a transaction it does not own.
 */
export class SqliteBatches {
  private readonly insideBatch = new AsyncLocalStorage<true>();
  private readonly single: Transaction<(work: () => unknown) => unknown>;
  private lastBatch: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqliteDatabase) {
    this.single = db.transaction((work: () => unknown) => work());
  }

  async batch<Result>(work: () => Promise<Result>): Promise<Result> {
    if (this.insideBatch.getStore()) return work();

    const previous = this.lastBatch;
    let release = () => {};
    this.lastBatch = new Promise((resolve) => (release = resolve));
    await previous;

    try {
      this.db.exec('BEGIN IMMEDIATE');
      const result = await this.insideBatch.run(true, work);
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      release();
    }
  }

  /**
   * One read-modify-write: inside a batch it joins the batch's
   * transaction; outside, it waits for the open batch and runs in an
   * IMMEDIATE transaction of its own, so another process cannot write
   * between its read and its write.
   */
  async write<Result>(work: () => Result): Promise<Result> {
    if (this.insideBatch.getStore()) return work();

    await this.lastBatch;
    return this.single.immediate(work) as Result;
  }
}
