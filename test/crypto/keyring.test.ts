import { randomBytes } from 'node:crypto';

import { expect } from 'chai';

import {
  DecryptionError,
  UnknownMasterKeyError,
} from '../../src/crypto/crypto-errors.js';
import { TenantKeysDeletedError } from '../../src/ports/errors.js';
import type { FieldAddress } from '../../src/ports/value-sealer.js';
import { LocalMasterKey, MasterKeys } from '../../src/crypto/master-key.js';
import { cryptoFixture } from '../support/crypto-fixture.js';
import { rejectionOf } from '../support/rejection.js';

const at = (tenantId: string): FieldAddress => ({
  tenantId,
  record: 'user-1',
  field: 'username',
});

const keyVersionOf = (sealed: string) =>
  Buffer.from(sealed.slice(4), 'base64').readUInt32BE(1);

describe('keyring', function () {
  let fixture: ReturnType<typeof cryptoFixture>;
  const oldMaster = new LocalMasterKey(randomBytes(32));
  const newMaster = new LocalMasterKey(randomBytes(32));

  beforeEach(function () {
    fixture = cryptoFixture();
  });

  afterEach(async function () {
    await fixture.dispose();
  });

  it('rotates a data key: new values use it, old values still open', async function () {
    const keyring = fixture.keyring(new MasterKeys(oldMaster));
    const cipher = fixture.cipher(keyring);
    await keyring.createTenantKeys('t1');
    const before = await cipher.encrypt(at('t1'), 'written before');

    expect(await keyring.rotateDataKey('t1')).to.equal(2);
    const after = await cipher.encrypt(at('t1'), 'written after');

    expect(keyVersionOf(before)).to.equal(1);
    expect(keyVersionOf(after)).to.equal(2);
    expect(await cipher.decrypt(at('t1'), before)).to.equal('written before');
    expect(await cipher.decrypt(at('t1'), after)).to.equal('written after');
  });

  it('rotates the master key by re-wrapping, without touching the data', async function () {
    const first = fixture.keyring(new MasterKeys(oldMaster));
    await first.createTenantKeys('t1');
    await first.rotateDataKey('t1');
    const sealed = await fixture.cipher(first).encrypt(at('t1'), 'kept');

    const withoutOld = fixture.keyring(new MasterKeys(newMaster));
    const refused = await rejectionOf(withoutOld.currentDataKey('t1'));
    expect(refused).to.be.instanceOf(UnknownMasterKeyError);

    const rotating = fixture.keyring(new MasterKeys(newMaster, [oldMaster]));
    expect(await rotating.rotateMasterKey()).to.equal(3);
    expect(await rotating.rotateMasterKey()).to.equal(0);

    const afterwards = fixture.keyring(new MasterKeys(newMaster));
    expect(await fixture.cipher(afterwards).decrypt(at('t1'), sealed)).to.equal(
      'kept',
    );
  });

  it("refuses a wrapped key moved to another tenant's row", async function () {
    const keyring = fixture.keyring(new MasterKeys(oldMaster));
    await keyring.createTenantKeys('t1');
    const [stolen] = (await fixture.store.keysOf('t1')).filter(
      (key) => key.purpose === 'data',
    );
    await fixture.store.add({ ...stolen!, tenantId: 't2' });
    await fixture.store.add({ ...stolen!, tenantId: 't2', purpose: 'index' });

    const error = await rejectionOf(keyring.currentDataKey('t2'));
    expect(error).to.be.instanceOf(DecryptionError);
  });

  it('shreds one tenant: its values stop opening, others are unaffected', async function () {
    const keyring = fixture.keyring(new MasterKeys(oldMaster));
    const cipher = fixture.cipher(keyring);
    await keyring.createTenantKeys('t1');
    await keyring.createTenantKeys('t2');
    const gone = await cipher.encrypt(at('t1'), 'about to be shredded');
    const kept = await cipher.encrypt(at('t2'), 'still here');

    expect(await keyring.deleteTenantKeys('t1')).to.equal(2);

    const error = await rejectionOf(cipher.decrypt(at('t1'), gone));
    expect(error).to.be.instanceOf(TenantKeysDeletedError);
    expect(await cipher.decrypt(at('t2'), kept)).to.equal('still here');
    const fresh = fixture.keyring(new MasterKeys(oldMaster));
    expect(await rejectionOf(fresh.indexKey('t1'))).to.be.instanceOf(
      TenantKeysDeletedError,
    );
  });

  it('keeps keys that exist when asked to create them again', async function () {
    const keyring = fixture.keyring(new MasterKeys(oldMaster));
    await keyring.createTenantKeys('t1');
    const sealed = await fixture.cipher(keyring).encrypt(at('t1'), 'first');

    await keyring.createTenantKeys('t1');

    const fresh = fixture.keyring(new MasterKeys(oldMaster));
    expect(await fixture.cipher(fresh).decrypt(at('t1'), sealed)).to.equal(
      'first',
    );
  });
});
