import fs from 'node:fs';
import path from 'node:path';

/** Fresh database files in one folder; each is removed after its run. */
export class ScratchFiles {
  private made = 0;

  constructor(private readonly dir: string) {}

  async use<T>(name: string, work: (file: string) => Promise<T>): Promise<T> {
    this.made += 1;
    const file = path.join(this.dir, `${name}-${this.made}.sqlite`);

    try {
      return await work(file);
    } finally {
      // WAL mode leaves two companion files beside the database.
      for (const suffix of ['', '-wal', '-shm']) {
        fs.rmSync(file + suffix, { force: true });
      }
    }
  }
}
