import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { DecryptionError } from '../../../src/crypto/crypto-errors.js';
import type { FieldCipher } from '../../../src/crypto/field-cipher.js';
import type { Keyring } from '../../../src/crypto/keyring.js';
import { TenantEncryption } from '../../../src/crypto/tenant-encryption.js';
import type { ReadDocument } from '../../../src/ports/read-store.js';
import {
  snapshotChunksCollection,
  SnapshotVault,
} from '../../../src/projections/snapshots/snapshot-vault.js';
import type { CopiedDocument } from '../../../src/projections/snapshots/snapshot-vault.js';
import { SqliteReadStore } from '../../../src/storage/sqlite/sqlite-read-store.js';
import { cryptoFixture } from '../../support/crypto-fixture.js';
import { rejectionOf } from '../../support/rejection.js';

const expiresAt = new Date('2027-03-04T00:00:00.000Z');

/** Documents of two collections, as a copy reads them: sealed fields and all. */
function documents(count: number): CopiedDocument[] {
  return Array.from({ length: count }, (_, i) => ({
    collection: i % 2 === 0 ? 'work_items' : 'analytics_items',
    document: {
      _id: `item-${i}`,
      _version: 3,
      tenantId: 'tenant-a',
      summary: `enc:${Buffer.from(`CANARY-${i} `.repeat(40)).toString('base64')}`,
      n: i,
    },
  }));
}

async function* streamed(
  copied: CopiedDocument[],
  failAfter = Infinity,
): AsyncIterable<CopiedDocument> {
  for (const [i, document] of copied.entries()) {
    if (i === failAfter) throw new Error('the read models went away');
    yield document;
  }
}

async function opened(vault: SnapshotVault, snapshotId: string) {
  const all: CopiedDocument[] = [];
  for await (const chunk of vault.chunksOf(snapshotId)) all.push(...chunk);

  return all;
}

describe('snapshot vault', function () {
  let dir: string;
  let store: SqliteReadStore;
  let keys: ReturnType<typeof cryptoFixture>;
  let keyring: Keyring;
  let cipher: FieldCipher;
  let vault: SnapshotVault;

  beforeEach(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-vault-'));
    store = new SqliteReadStore(path.join(dir, 'snapshots.sqlite'));
    keys = cryptoFixture();
    keyring = keys.keyring();
    await keyring.createTenantKeys('tenant-a');
    await keyring.createTenantKeys('tenant-b');
    cipher = keys.cipher(keyring);
    vault = new SnapshotVault(store, cipher);
  });

  afterEach(async function () {
    await store.close();
    await keys.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function storedChunks() {
    return store
      .collection<ReadDocument>(snapshotChunksCollection)
      .find({}, { sort: [['index', 1]] });
  }

  it('gives back every document in order, across several sealed chunks', async function () {
    const copied = documents(6000);

    const written = await vault.write(
      'tenant-a',
      'snap-1',
      expiresAt,
      streamed(copied),
    );

    expect(written.documents).to.equal(6000);
    expect(await opened(vault, 'snap-1')).to.deep.equal(copied);

    const chunks = (await storedChunks()).items;
    expect(chunks.length).to.be.above(2);
    const sealedBytes = chunks.reduce(
      (sum, chunk) => sum + String(chunk['data']).length,
      0,
    );
    expect(sealedBytes, 'compressed below the JSON').to.be.below(
      written.sizeBytes,
    );
    for (const chunk of chunks) {
      expect(chunk['data']).to.match(/^enc:/);
      expect(chunk['encoding']).to.equal('brotli');
      expect(JSON.stringify(chunk)).to.not.include('item-1"');
    }
  });

  it('still opens chunks sealed before compression, as JSON values', async function () {
    const copied = documents(10);
    const legacy = new TenantEncryption(keyring).readModels(
      store,
      new Map([[snapshotChunksCollection, ['data']]]),
    );
    await legacy.collection(snapshotChunksCollection).insert({
      _id: 'snap-old:0',
      tenantId: 'tenant-a',
      snapshotId: 'snap-old',
      index: 0,
      expiresAt: expiresAt.toISOString(),
      data: JSON.stringify(copied.map((c) => [c.collection, c.document])),
    });

    expect(await opened(vault, 'snap-old')).to.deep.equal(copied);
  });

  it('does not open a chunk moved to another tenant', async function () {
    await vault.write('tenant-a', 'snap-1', expiresAt, streamed(documents(3)));
    const chunks = store.collection<ReadDocument>(snapshotChunksCollection);
    await chunks.update('snap-1:0', { $set: { tenantId: 'tenant-b' } });

    const error = await rejectionOf(opened(vault, 'snap-1'));

    expect(error).to.be.instanceOf(DecryptionError);
  });

  it('leaves no chunk behind when the copy fails part-way', async function () {
    const failed = await rejectionOf(
      vault.write(
        'tenant-a',
        'snap-1',
        expiresAt,
        streamed(documents(6000), 4000),
      ),
    );

    expect(failed).to.have.property('message', 'the read models went away');
    expect((await storedChunks()).items).to.deep.equal([]);
  });
});
