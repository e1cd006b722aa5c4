import { expect } from 'chai';

import {
  signatureMatches,
  signatureOf,
} from '../../../src/commands/webhooks/webhook-signature.js';

const body = Buffer.from('{"webhookEvent":"jira:issue_updated"}');

describe('webhook signatures', function () {
  it('accepts the HMAC-SHA256 of the exact bytes under a secret', function () {
    const header = signatureOf(body, 's3cret');

    expect(header).to.match(/^sha256=[0-9a-f]{64}$/);
    expect(signatureMatches(header, body, ['s3cret'])).to.equal(true);
    expect(signatureMatches(header, body, ['other', 's3cret'])).to.equal(true);
  });

  it('refuses another secret, other bytes, and a missing header', function () {
    const header = signatureOf(body, 's3cret');
    const reformatted = Buffer.from(
      JSON.stringify(JSON.parse(body.toString()), null, 2),
    );

    expect(signatureMatches(header, body, ['other'])).to.equal(false);
    expect(signatureMatches(header, reformatted, ['s3cret'])).to.equal(false);
    expect(signatureMatches(undefined, body, ['s3cret'])).to.equal(false);
    expect(signatureMatches('sha256=', body, ['s3cret'])).to.equal(false);
    expect(
      signatureMatches(header.replace('sha256=', 'sha1='), body, ['s3cret']),
    ).to.equal(false);
  });

  it('refuses the all-zero digest that stands in for a missing one', function () {
    expect(
      signatureMatches(`sha256=${'0'.repeat(64)}`, body, ['s3cret']),
    ).to.equal(false);
  });
});
