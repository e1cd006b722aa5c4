import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';
import { filter, firstValueFrom, take, toArray } from 'rxjs';

import { DecryptionError } from '../../src/crypto/crypto-errors.js';
import { EncryptingEventStore } from '../../src/crypto/encrypting-event-store.js';
import { FieldCipher } from '../../src/crypto/field-cipher.js';
import type { FieldAddress } from '../../src/ports/value-sealer.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from '../../src/crypto/master-key.js';
import { silentLogger } from '../../src/logger.js';
import type { JsonValue, NewEvent } from '../../src/ports/event-store.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../src/storage/sqlite/sqlite-key-store.js';
import { eventStoreContract } from '../contract/event-store.contract.js';
import { rejectionOf } from '../support/rejection.js';

/** Counts what it opens. */
class CountingCipher extends FieldCipher {
  opened = 0;

  override decrypt(address: FieldAddress, stored: string): Promise<JsonValue> {
    this.opened += 1;
    return super.decrypt(address, stored);
  }
}

/** The contract's events are of tenant-1; a few of its types are sealed. */
async function encryptingStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-ees-'));
  const keyStore = new SqliteKeyStore({ file: path.join(dir, 'keys.sqlite') });
  const keyring = new Keyring(
    keyStore,
    new MasterKeys(new LocalMasterKey(randomBytes(32))),
  );
  await keyring.createTenantKeys('tenant-1');
  const inner = new SqliteEventStore({
    file: path.join(dir, 'events.sqlite'),
    logger: silentLogger(),
  });
  const cipher = new CountingCipher(keyring);
  const store = new EncryptingEventStore(inner, {
    cipher,
    keyring,
    policy: {
      sealed: new Map(
        ['Counted', 'Wanted', 'Other'].map((type) => [type, ['label']]),
      ),
      outliveKeys: new Set(),
    },
  });

  return {
    store,
    inner,
    cipher,
    teardown: async () => {
      await store.close();
      await keyStore.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

eventStoreContract('sqlite, encrypting', encryptingStore);

function sealedEvent(type: string, n: number): NewEvent {
  return {
    type,
    data: { n, label: `secret ${n}` },
    metadata: {
      tenantId: 'tenant-1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      schemaVersion: 1,
    },
  };
}

describe('EncryptingEventStore', function () {
  let f: Awaited<ReturnType<typeof encryptingStore>>;

  beforeEach(async function () {
    f = await encryptingStore();
  });

  afterEach(async function () {
    await f.teardown();
  });

  it("seals an event's sealed fields together, and nothing else", async function () {
    await f.store.append('stream-1', [sealedEvent('Wanted', 1)], 'no_stream');

    const [stored] = (await f.inner.readStream('stream-1')).events;
    const [opened] = (await f.store.readStream('stream-1')).events;

    expect(Object.keys(stored!.data)).to.have.members(['n', '$sealed']);
    expect(stored!.data['$sealed']).to.match(/^enc:/);
    expect(JSON.stringify(stored!.data)).not.to.include('secret');
    expect(opened!.data).to.deep.equal({ n: 1, label: 'secret 1' });
  });

  it('refuses a sealed value moved to another event of the stream', async function () {
    await f.store.append(
      'stream-1',
      [sealedEvent('Wanted', 1), sealedEvent('Wanted', 2)],
      'no_stream',
    );
    const [first] = (await f.inner.readStream('stream-1')).events;
    await f.inner.append(
      'stream-1',
      [{ ...sealedEvent('Wanted', 3), data: first!.data }],
      1n,
    );

    const error = await rejectionOf(f.store.readStream('stream-1'));

    expect(error).to.be.instanceOf(DecryptionError);
    expect((error as DecryptionError).reason).to.equal('authentication');
  });

  it('refuses a sealed field in the clear beside the sealed value', async function () {
    await f.store.append('stream-1', [sealedEvent('Wanted', 1)], 'no_stream');
    const [stored] = (await f.inner.readStream('stream-1')).events;
    await f.inner.append(
      'stream-1',
      [
        {
          ...sealedEvent('Wanted', 2),
          data: { ...stored!.data, label: 'planted' },
        },
      ],
      0n,
    );

    const error = await rejectionOf(f.store.readStream('stream-1'));

    expect((error as DecryptionError).reason).to.equal('malformed');
  });

  it('opens events whose fields were each sealed alone', async function () {
    const label = await f.cipher.encrypt(
      { tenantId: 'tenant-1', record: 'stream-1', field: 'data.label' },
      'secret 1',
    );
    await f.inner.append(
      'stream-1',
      [{ ...sealedEvent('Wanted', 1), data: { n: 1, label } }],
      'no_stream',
    );

    const [opened] = (await f.store.readStream('stream-1')).events;

    expect(opened!.data).to.deep.equal({ n: 1, label: 'secret 1' });
  });

  it('opens only the events of the types a subscriber reads', async function () {
    await f.store.append(
      'stream-1',
      [
        sealedEvent('Wanted', 1),
        sealedEvent('Other', 2),
        sealedEvent('Other', 3),
        sealedEvent('Wanted', 4),
      ],
      'no_stream',
    );

    const received = await firstValueFrom(
      f.store.subscribe({ types: new Set(['Wanted']) }).pipe(
        filter((m) => m.kind !== 'caught-up'),
        take(4),
        toArray(),
      ),
    );

    expect(
      received.map((m) =>
        m.kind === 'event' ? m.event.data['label'] : m.kind,
      ),
    ).to.deep.equal(['secret 1', 'passed', 'passed', 'secret 4']);
    expect(f.cipher.opened).to.equal(2);
  });
});
