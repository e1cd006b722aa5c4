import { expect } from 'chai';

import {
  Argon2PasswordHasher,
  HasherBusyError,
  owaspMinimum,
} from '../../src/crypto/argon2-password-hasher.js';
import { rejectionOf } from '../support/rejection.js';

describe('argon2id password hasher', function () {
  this.timeout(20_000);

  it('hashes with argon2id at the OWASP minimum, salted', async function () {
    const hasher = new Argon2PasswordHasher();

    const first = await hasher.hash('correct horse battery');
    const second = await hasher.hash('correct horse battery');

    expect(first).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).to.not.equal(second);
  });

  it('verifies the right password only, and reads no garbage', async function () {
    const hasher = new Argon2PasswordHasher();
    const hash = await hasher.hash('correct horse battery');

    expect(await hasher.verify(hash, 'correct horse battery')).to.equal(true);
    expect(await hasher.verify(hash, 'correct horse batterY')).to.equal(false);
    expect(await hasher.verify('not a hash', 'anything')).to.equal(false);
  });

  it('queues beyond its concurrency, and refuses beyond its queue', async function () {
    const hasher = new Argon2PasswordHasher({
      ...owaspMinimum,
      concurrency: 1,
      maxWaiting: 2,
    });

    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => rejectionOf(hasher.hash(`password ${i}`))),
    );

    expect(results.slice(0, 3)).to.deep.equal([
      undefined,
      undefined,
      undefined,
    ]);
    expect(results[3]).to.be.instanceOf(HasherBusyError);
    expect(await hasher.hash('after the flood')).to.match(/^\$argon2id\$/);
  });
});
