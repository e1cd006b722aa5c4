import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { DecryptionError } from '../../src/crypto/crypto-errors.js';
import type { Keyring } from '../../src/crypto/keyring.js';
import { TenantEncryption } from '../../src/crypto/tenant-encryption.js';
import { TenantKeysDeletedError } from '../../src/ports/errors.js';
import type { ReadDocument, ReadStore } from '../../src/ports/read-store.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import { cryptoFixture } from '../support/crypto-fixture.js';
import { rejectionOf } from '../support/rejection.js';

interface Person extends ReadDocument {
  tenantId: string;
  name: string;
  profile?: { city: string };
}

const people = 'people';

describe('encrypting read store: values read again', function () {
  let dir: string;
  let plain: SqliteReadStore;
  let keys: ReturnType<typeof cryptoFixture>;
  let keyring: Keyring;
  let store: ReadStore;

  beforeEach(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-sealed-reads-'));
    plain = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
    keys = cryptoFixture();
    keyring = keys.keyring();
    await keyring.createTenantKeys('tenant-a');
    store = new TenantEncryption(keyring).readModels(
      plain,
      new Map([[people, ['name', 'profile']]]),
    );
    await store.collection<Person>(people).insert({
      _id: 'p1',
      _version: 0,
      tenantId: 'tenant-a',
      name: 'Ada',
    });
  });

  afterEach(async function () {
    await plain.close();
    await keys.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const person = () => store.collection<Person>(people).get('p1');

  it('reads a changed value as changed', async function () {
    expect((await person())?.name).to.equal('Ada');

    await store
      .collection<Person>(people)
      .update('p1', { $set: { tenantId: 'tenant-a', name: 'Grace' } });

    expect((await person())?.name).to.equal('Grace');
  });

  it('stops opening a value it read once when the tenant is shredded', async function () {
    expect((await person())?.name).to.equal('Ada');

    await keyring.deleteTenantKeys('tenant-a');

    expect(await rejectionOf(person())).to.be.instanceOf(
      TenantKeysDeletedError,
    );
  });

  it('refuses a value it read once when it is copied to another document', async function () {
    await person();
    const raw = await plain.collection<Person>(people).get('p1');
    await plain.collection<Person>(people).insert({ ...raw!, _id: 'p2' });

    const copy = store.collection<Person>(people).get('p2');

    expect(await rejectionOf(copy)).to.be.instanceOf(DecryptionError);
  });

  it('reads what is stored after a batch that set a value rolled back', async function () {
    await person();
    const failed = store.inBatch(async (batch) => {
      await batch
        .collection<Person>(people)
        .update('p1', { $set: { tenantId: 'tenant-a', name: 'Grace' } });
      throw new Error('the batch fails');
    });

    expect(await rejectionOf(failed)).to.be.instanceOf(Error);
    expect((await person())?.name).to.equal('Ada');
  });

  it('reads back what was written, not what the writer changed after', async function () {
    const profile = { city: 'London' };
    await store
      .collection<Person>(people)
      .update('p1', { $set: { tenantId: 'tenant-a', profile } });
    profile.city = 'changed by the writer';

    expect((await person())?.profile).to.deep.equal({ city: 'London' });
  });

  it('opens a sealed field a find asks for, and leaves the others out', async function () {
    const people_ = store.collection<Person>(people);
    await people_.update('p1', {
      $set: { tenantId: 'tenant-a', profile: { city: 'London' } },
    });

    const named = await people_.find({}, { fields: ['name'] });
    const bare = await people_.find({}, { fields: [] });

    expect(named.items).to.deep.equal([
      { _id: 'p1', _version: 2, name: 'Ada', tenantId: 'tenant-a' },
    ]);
    expect(bare.items).to.deep.equal([{ _id: 'p1', _version: 2 }]);
  });

  it('gives each read an object of its own', async function () {
    const profile = { city: 'London' };
    await store
      .collection<Person>(people)
      .update('p1', { $set: { tenantId: 'tenant-a', profile } });

    const first = await person();
    first!.profile!.city = 'changed by a caller';

    expect((await person())?.profile).to.deep.equal({ city: 'London' });
  });
});
