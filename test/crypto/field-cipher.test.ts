import { expect } from 'chai';

import { DecryptionError } from '../../src/crypto/crypto-errors.js';
import type { FieldCipher } from '../../src/crypto/field-cipher.js';
import type { FieldAddress } from '../../src/ports/value-sealer.js';
import { cryptoFixture } from '../support/crypto-fixture.js';
import { rejectionOf } from '../support/rejection.js';

const address: FieldAddress = {
  tenantId: 'tenant-a',
  record: 'work-item-1',
  field: 'summary',
};

/** The sealed bytes with one changed, sealed form kept. */
function flipped(stored: string, at: number): string {
  const bytes = Buffer.from(stored.slice('enc:'.length), 'base64');
  bytes[at] = bytes[at]! ^ 0x01;

  return 'enc:' + bytes.toString('base64');
}

describe('field cipher', function () {
  let fixture: ReturnType<typeof cryptoFixture>;
  let cipher: FieldCipher;

  beforeEach(async function () {
    fixture = cryptoFixture();
    const keyring = fixture.keyring();
    await keyring.createTenantKeys('tenant-a');
    await keyring.createTenantKeys('tenant-b');
    cipher = fixture.cipher(keyring);
  });

  afterEach(async function () {
    await fixture.dispose();
  });

  it('opens what it sealed: text, numbers and objects', async function () {
    for (const value of [
      'Fix the login 🔐',
      42,
      { name: 'Ada', tags: ['x'] },
    ]) {
      const sealed = await cipher.encrypt(address, value);
      expect(await cipher.decrypt(address, sealed)).to.deep.equal(value);
    }
  });

  it('seals the same value differently every time, and shows none of it', async function () {
    const first = await cipher.encrypt(address, 'CANARY-7f3a9');
    const second = await cipher.encrypt(address, 'CANARY-7f3a9');

    expect(first).to.match(/^enc:/);
    expect(first).to.not.equal(second);
    expect(first).to.not.include('CANARY');
    expect(
      Buffer.from(first.slice(4), 'base64').toString('latin1'),
    ).to.not.include('CANARY');
  });

  it('gives every value a nonce of its own, past a draw of nonces', async function () {
    const values = 1000;
    const nonces = new Set<string>();

    for (let i = 0; i < values; i++) {
      const sealed = await cipher.encrypt(address, 'same');
      const bytes = Buffer.from(sealed.slice(4), 'base64');
      // After the format byte and the 32-bit key version.
      nonces.add(bytes.subarray(5, 17).toString('hex'));
    }

    expect(nonces.size).to.equal(values);
  });

  it('refuses every flipped byte with a typed error', async function () {
    const sealed = await cipher.encrypt(address, 'a summary of some length');
    const length = Buffer.from(sealed.slice(4), 'base64').length;

    for (let at = 0; at < length; at++) {
      const error = await rejectionOf(
        cipher.decrypt(address, flipped(sealed, at)),
      );
      expect(error, `byte ${at}`).to.be.instanceOf(DecryptionError);
    }
  });

  it('refuses a value moved to another field, record or tenant', async function () {
    const sealed = await cipher.encrypt(address, 'a summary');

    for (const elsewhere of [
      { ...address, field: 'description' },
      { ...address, record: 'work-item-2' },
      { ...address, tenantId: 'tenant-b' },
    ]) {
      const error = await rejectionOf(cipher.decrypt(elsewhere, sealed));
      expect(error).to.be.instanceOf(DecryptionError);
      expect(error).to.have.property('reason', 'authentication');
    }
  });

  it('refuses what is not a sealed value', async function () {
    for (const stored of ['plain text', 'enc:', 'enc:AAAA', 'enc:!!!']) {
      const error = await rejectionOf(cipher.decrypt(address, stored));
      expect(error).to.be.instanceOf(DecryptionError);
      expect(error).to.have.property('reason', 'malformed');
    }
  });

  it('seals bytes as they are, and opens them only as bytes', async function () {
    const bytes = Buffer.from([0, 255, 34, 92, 10, 128]);
    const sealed = await cipher.encryptBytes(address, bytes);

    expect(await cipher.decryptBytes(address, sealed)).to.deep.equal(bytes);
    expect(Buffer.from(sealed.slice(4), 'base64').length).to.equal(
      // Format byte and key version, nonce, the bytes, tag.
      5 + 12 + bytes.length + 16,
    );

    const asJson = await rejectionOf(cipher.decrypt(address, sealed));
    expect(asJson).to.have.property('reason', 'malformed');
    const json = await cipher.encrypt(address, 'a value');
    const asBytes = await rejectionOf(cipher.decryptBytes(address, json));
    expect(asBytes).to.have.property('reason', 'malformed');
  });

  it('refuses sealed bytes relabelled as a value, or moved', async function () {
    const sealed = await cipher.encryptBytes(address, Buffer.from('{}'));
    const relabelled = Buffer.from(sealed.slice(4), 'base64');
    relabelled[0] = 1;

    const asJson = await rejectionOf(
      cipher.decrypt(address, 'enc:' + relabelled.toString('base64')),
    );
    expect(asJson).to.have.property('reason', 'authentication');
    const moved = await rejectionOf(
      cipher.decryptBytes({ ...address, tenantId: 'tenant-b' }, sealed),
    );
    expect(moved).to.have.property('reason', 'authentication');
  });

  it('gives blind indexes equal per tenant and purpose, different across them', async function () {
    const alice = await cipher.blindIndex('tenant-a', 'username', 'alice');

    expect(await cipher.blindIndex('tenant-a', 'username', 'alice')).to.equal(
      alice,
    );
    expect(
      await cipher.blindIndex('tenant-b', 'username', 'alice'),
    ).to.not.equal(alice);
    expect(await cipher.blindIndex('tenant-a', 'email', 'alice')).to.not.equal(
      alice,
    );
    expect(alice).to.match(/^[0-9a-f]{64}$/);
  });
});
