import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { TenantEncryption } from '../../src/crypto/tenant-encryption.js';
import type { EventStore, RecordedEvent } from '../../src/ports/event-store.js';
import { replayThrough } from '../../src/projections/replay.js';
import type { ReadDocument, ReadStore } from '../../src/ports/read-store.js';
import { encryptedCollections } from '../../src/projections/projection.js';
import type { Projection } from '../../src/projections/projection.js';
import { SnapshotVault } from '../../src/projections/snapshots/snapshot-vault.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import type { OpenStores } from '../../src/service-stores.js';

/** A tenant's read models, opened, by `collection/id`, bookkeeping left out. */
export type TenantModels = Record<string, Record<string, unknown>>;

export interface Models {
  projections: readonly Projection[];
  encryption: TenantEncryption;
}

/** Reads every document of the tenant through a sealing store. */
export async function tenantModels(
  store: ReadStore,
  tenantId: string,
  { projections }: Pick<Models, 'projections'>,
): Promise<TenantModels> {
  const models: TenantModels = {};

  for (const collection of projections.flatMap((p) => [...p.collections])) {
    let cursor: string | undefined;
    do {
      const page = await store
        .collection(collection)
        .find(
          { tenantId },
          { limit: 500, ...(cursor === undefined ? {} : { cursor }) },
        );
      for (const { _id, _version: _, ...fields } of page.items) {
        models[`${collection}/${_id}`] = fields;
      }
      cursor = page.next;
    } while (cursor !== undefined);
  }

  return models;
}

/**
 * The tenant's read models as a clean rebuild makes them: every event up
 * to `upTo` (all when absent) through the projections, into a fresh
 * store that is thrown away after.
 */
export async function cleanRebuild(
  eventStore: EventStore,
  tenantId: string,
  models: Models,
  upTo?: bigint,
): Promise<TenantModels> {
  return withScratchStore(models, async (store) => {
    await replayThrough(
      models.projections,
      upToPosition(eventStore, upTo),
      store,
    );

    return tenantModels(store, tenantId, models);
  });
}

/** What a snapshot holds, opened: its documents put back in a scratch store. */
export async function snapshotModels(
  stores: Pick<OpenStores, 'snapshotVault' | 'encryption'>,
  snapshotId: string,
  tenantId: string,
  models: Models,
): Promise<TenantModels> {
  return withScratchStore(models, async (store, raw) => {
    const vault = new SnapshotVault(
      stores.snapshotVault,
      stores.encryption.cipher,
    );
    for await (const chunk of vault.chunksOf(snapshotId)) {
      for (const { collection, document } of chunk) {
        const { _version: _, ...fields } = document as ReadDocument;
        await raw.collection(collection).insert(fields);
      }
    }

    return tenantModels(store, tenantId, models);
  });
}

async function withScratchStore<Result>(
  models: Models,
  work: (store: ReadStore, raw: ReadStore) => Promise<Result>,
): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-rebuild-'));
  const raw = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
  const store = models.encryption.readModels(
    raw,
    encryptedCollections(models.projections),
  );

  try {
    return await work(store, raw);
  } finally {
    await raw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function* upToPosition(
  eventStore: EventStore,
  upTo: bigint | undefined,
): AsyncIterable<RecordedEvent> {
  for await (const event of eventStore.readAll()) {
    if (upTo !== undefined && event.position > upTo) return;
    yield event;
  }
}
