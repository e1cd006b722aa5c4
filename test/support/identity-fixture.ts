import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { identityServices } from '../../src/api/identity/identity-services.js';
import { Argon2PasswordHasher } from '../../src/crypto/argon2-password-hasher.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from '../../src/crypto/master-key.js';
import { TenantEncryption } from '../../src/crypto/tenant-encryption.js';
import { silentLogger } from '../../src/logger.js';
import type { Logger } from '../../src/ports/logger.js';
import { identityProjection } from '../../src/projections/identity/identity-projection.js';
import { encryptedCollections } from '../../src/projections/projection.js';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../src/storage/sqlite/sqlite-key-store.js';
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
 * The identity services over real, encrypting SQLite stores, a real
 * argon2 hasher and a running identity projection, in a temporary folder.
 * More projections, such as the analytics, may run beside it.
 */
export async function identityFixture(
  logger: Logger = silentLogger(),
  moreProjections: Projection[] = [],
) {
  const projections = [identityProjection, ...moreProjections];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-identity-'));
  const rawStore = new SqliteEventStore({
    file: path.join(dir, 'events.sqlite'),
    logger,
  });
  const rawReadStore = new SqliteReadStore(
    path.join(dir, 'read-models.sqlite'),
  );
  const keyStore = new SqliteKeyStore({ file: path.join(dir, 'keys.sqlite') });
  const masterKeys = new MasterKeys(new LocalMasterKey(randomBytes(32)));
  const encryption = new TenantEncryption(new Keyring(keyStore, masterKeys));
  await encryption.keyring.createServiceKeys();
  const store = encryption.events(rawStore);
  const readStore = encryption.readModels(
    rawReadStore,
    encryptedCollections(projections),
  );
  const runner = new ProjectionRunner({
    eventStore: store,
    readStore,
    logger,
    projections,
    batchMs: 5,
  });
  await runner.start();

  const clock = new TestClock();
  const identity = identityServices({
    eventStore: store,
    readStore,
    logger,
    hasher: new Argon2PasswordHasher(),
    blindIndex: encryption.blindIndex,
    tenantKeys: encryption.keyring,
    sessionSecret: Buffer.alloc(32, 7),
    sessionTtlMinutes: 15,
    now: clock.now,
  });

  return {
    ...identity,
    dir,
    store,
    readStore,
    rawStore,
    rawReadStore,
    encryption,
    clock,
    dispose: async () => {
      await runner.stop();
      await readStore.close();
      await store.close();
      await keyStore.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type IdentityFixture = Awaited<ReturnType<typeof identityFixture>>;
