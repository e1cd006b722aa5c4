import { expect } from 'chai';

import {
  parseTargetUrl,
  TargetUrlError,
} from '../../../src/commands/connectors/target-url.js';

describe('target URLs', function () {
  const strict = { allowPrivateTargets: false };
  const lenient = { allowPrivateTargets: true };

  function refusal(raw: string, options = strict): TargetUrlError {
    let refused: unknown;
    expect(() => {
      try {
        parseTargetUrl(raw, options);
      } catch (error) {
        refused = error;
        throw error;
      }
    }).to.throw(TargetUrlError);

    return refused as TargetUrlError;
  }

  it('keeps the host, a custom port and the context path', function () {
    const target = parseTargetUrl(
      'https://jira.example.com:8443/jira/',
      strict,
    );

    expect(target).to.deep.equal({
      baseUrl: 'https://jira.example.com:8443/jira',
      hostname: 'jira.example.com',
      host: 'jira.example.com:8443',
      port: 8443,
      basePath: '/jira',
      literalAddress: undefined,
    });
  });

  it('uses port 443 when none is given, and drops an explicit 443', function () {
    expect(parseTargetUrl('https://acme.atlassian.net', strict)).to.include({
      baseUrl: 'https://acme.atlassian.net',
      port: 443,
      basePath: '',
    });
    expect(
      parseTargetUrl('https://acme.atlassian.net:443/', strict),
    ).to.include({
      baseUrl: 'https://acme.atlassian.net',
      port: 443,
    });
  });

  it('trims the spaces around what an admin pasted', function () {
    expect(
      parseTargetUrl('  https://jira.example.com  ', strict).baseUrl,
    ).to.equal('https://jira.example.com');
  });

  it('refuses every scheme but https', function () {
    for (const raw of [
      'http://jira.example.com',
      'ftp://jira.example.com',
      'file:///etc/passwd',
      'gopher://jira.example.com',
      'jira.example.com',
      '//jira.example.com',
    ]) {
      expect(refusal(raw).message, raw).to.equal(
        'The server URL must start with https://',
      );
    }
  });

  it('refuses user info, fragments and queries', function () {
    expect(refusal('https://admin:secret@jira.example.com').message).to.match(
      /user or password/,
    );
    expect(refusal('https://@jira.example.com').message).to.match(/user/);
    expect(refusal('https://jira.example.com/#top').message).to.match(
      /fragment/,
    );
    expect(refusal('https://jira.example.com/?a=1').message).to.match(/query/);
  });

  it('refuses what a parser would quietly rewrite', function () {
    refusal('https://jira.example.com\\@evil.example');
    refusal('https://jira.exa\tmple.com');
    refusal('https://jira.example.com/a b');
  });

  it('refuses port 0 and URLs that do not parse', function () {
    refusal('https://jira.example.com:0');
    refusal('https://jira.example.com:99999');
    refusal('https://');
  });

  for (const [raw, kind] of [
    ['https://127.0.0.1', 'loopback'],
    ['https://169.254.169.254', 'link-local'],
    ['https://10.0.0.1', 'private'],
    ['https://[::1]', 'loopback'],
    ['https://[::ffff:127.0.0.1]', 'loopback'],
    ['https://[fd00::1]', 'unique-local'],
    ['https://2130706433', 'loopback'],
    ['https://0177.0.0.1', 'loopback'],
    ['https://0x7f.1', 'loopback'],
    ['https://127.1', 'loopback'],
    ['https://0', 'unspecified'],
    ['https://0xa9fea9fe', 'link-local'],
  ]) {
    it(`refuses ${raw} (${kind})`, function () {
      expect(refusal(raw!).message).to.include(kind!);
    });
  }

  it('accepts a public address, and private ones when the operator allows', function () {
    expect(parseTargetUrl('https://8.8.8.8:8443', strict)).to.include({
      literalAddress: '8.8.8.8',
      hostname: '8.8.8.8',
      port: 8443,
    });
    expect(parseTargetUrl('https://127.0.0.1:9443', lenient)).to.include({
      literalAddress: '127.0.0.1',
    });
    expect(parseTargetUrl('https://[::1]:9443', lenient)).to.include({
      literalAddress: '::1',
      hostname: '::1',
      host: '[::1]:9443',
    });
  });

  it('is a domain error of kind invalid, which the API answers with 400', function () {
    const error = refusal('http://jira.example.com');

    expect(error.kind).to.equal('invalid');
    expect(error.code).to.equal('invalid_target_url');
  });
});
