import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Login } from '../../src/commands/identity/login.js';
import { Sessions } from '../../src/commands/identity/sessions.js';
import { TenantAdministration } from '../../src/commands/identity/tenant-administration.js';
import { UserAdministration } from '../../src/commands/identity/user-administration.js';
import type { IdentityDependencies } from '../../src/commands/identity/identity-context.js';
import { Argon2PasswordHasher } from '../../src/crypto/argon2-password-hasher.js';
import { silentLogger } from '../../src/logger.js';
import { IdentityDirectory } from '../../src/projections/identity/identity-directory.js';
import {
  identityProjection,
  identityProjectionName,
} from '../../src/projections/identity/identity-projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { ProjectionWatermark } from '../../src/projections/projection-watermark.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';

/** A clock a test can move. */
export class TestClock {
  constructor(public current = new Date('2026-12-03T09:00:00Z')) {}

  now = () => this.current;

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * The identity use cases over real SQLite stores and a running identity
 * projection, in a temporary folder.
 */
export async function identityFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-identity-'));
  const logger = silentLogger();
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
  const directory = new IdentityDirectory(readStore);
  const deps: IdentityDependencies = {
    store,
    logger,
    hasher: new Argon2PasswordHasher(),
    directory,
    now: clock.now,
  };
  const watermark = new ProjectionWatermark(readStore);
  const applied = (position: bigint | undefined) =>
    watermark.reached(identityProjectionName, position);

  return {
    store,
    readStore,
    clock,
    directory,
    applied,
    tenants: new TenantAdministration(store, logger),
    users: new UserAdministration(deps),
    sessions: new Sessions(deps),
    login: new Login(deps, { sessionTtlMs: 15 * 60_000 }),
    dispose: async () => {
      await runner.stop();
      await readStore.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type IdentityFixture = Awaited<ReturnType<typeof identityFixture>>;
