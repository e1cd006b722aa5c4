import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { identityServices } from '../../src/api/identity/identity-services.js';
import { Argon2PasswordHasher } from '../../src/crypto/argon2-password-hasher.js';
import { silentLogger } from '../../src/logger.js';
import type { Logger } from '../../src/ports/logger.js';
import { identityProjection } from '../../src/projections/identity/identity-projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';

/** A clock a test can move. */
export class TestClock {
  constructor(public current = new Date()) {}

  now = () => this.current;

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * The identity services over real SQLite stores, a real argon2 hasher and
 * a running identity projection, in a temporary folder.
 */
export async function identityFixture(logger: Logger = silentLogger()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-identity-'));
  const store = new SqliteEventStore({
    file: path.join(dir, 'events.sqlite'),
    logger,
  });
  const readStore = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
  const runner = new ProjectionRunner({
    eventStore: store,
    readStore,
    logger,
    projections: [identityProjection],
    batchMs: 5,
  });
  await runner.start();

  const clock = new TestClock();
  const identity = identityServices({
    eventStore: store,
    readStore,
    logger,
    hasher: new Argon2PasswordHasher(),
    sessionSecret: Buffer.alloc(32, 7),
    sessionTtlMinutes: 15,
    now: clock.now,
  });

  return {
    ...identity,
    store,
    readStore,
    clock,
    dispose: async () => {
      await runner.stop();
      await readStore.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type IdentityFixture = Awaited<ReturnType<typeof identityFixture>>;
