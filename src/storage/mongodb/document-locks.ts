/**
 * Runs the writes to one document one after another, within this process.
 *
 * FerretDB 1.x applies an update in two steps: it reads the matching
 * document, then writes the result back by `_id` without checking the
 * filter again. Two concurrent writes to one document can then both pass
 * a version or position check, and one `$inc` can overwrite another.
 * MongoDB itself needs none of this; for it the queue only costs a wait
 * behind earlier writes to the same document. Writers in other processes
 * are not queued, so against FerretDB they can still race.
 */
export class DocumentLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, write: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(write);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);

    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
