import path from 'node:path';

import { expect } from 'chai';

import { ConfigError, loadConfig } from '../../src/config/config.js';
import { selfSignedCertificate } from '../api/tls-files.js';
import type { TestCertificate } from '../api/tls-files.js';

describe('config', function () {
  it('runs on the embedded default with nothing set', function () {
    const config = loadConfig({});

    expect(config).to.deep.include({
      environment: 'development',
      dataDir: path.resolve('data'),
      host: '127.0.0.1',
      port: 3000,
      logLevel: 'info',
    });
    expect(config.eventStore).to.deep.equal({
      kind: 'sqlite',
      file: path.resolve('data', 'events.sqlite'),
    });
  });

  it('accepts the client options in any case', function () {
    const url =
      'esdb+discover://a:1,b:2?TLS=true&tlsCAFile=/ca.pem&nodePreference=leader';

    expect(loadConfig({ EVENTSTORE_URL: url }).eventStore).to.deep.equal({
      kind: 'eventstoredb',
      url,
    });
  });

  it('keeps read models beside the events unless MONGODB_URL is set', function () {
    expect(loadConfig({}).readStore).to.deep.equal({
      kind: 'sqlite',
      file: path.resolve('data', 'read-models.sqlite'),
    });
    expect(
      loadConfig({ MONGODB_URL: 'mongodb://db:27017/hakkiri' }).readStore,
    ).to.deep.equal({ kind: 'mongodb', url: 'mongodb://db:27017/hakkiri' });
  });

  it('selects EventStoreDB when EVENTSTORE_URL is set', function () {
    const config = loadConfig({
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
    });

    expect(config.eventStore).to.deep.equal({
      kind: 'eventstoredb',
      url: 'esdb://localhost:2113?tls=false',
    });
  });

  it('reads the data folder, host and port', function () {
    const config = loadConfig({
      HAKKIRI_DATA_DIR: '/var/lib/hakkiri',
      HAKKIRI_HOST: '0.0.0.0',
      HAKKIRI_PORT: '8443',
      HAKKIRI_TRUST_PROXY: 'true',
      HAKKIRI_PUBLIC_URL: 'https://hakkiri.example.com',
    });

    expect(config).to.deep.include({
      dataDir: '/var/lib/hakkiri',
      host: '0.0.0.0',
      port: 8443,
    });
  });

  it('treats an empty variable as unset', function () {
    expect(loadConfig({ HAKKIRI_PORT: '' }).port).to.equal(3000);
  });

  const bad: [string, string, RegExp][] = [
    ['HAKKIRI_PORT', 'abc', /^HAKKIRI_PORT: must be a port number$/],
    ['HAKKIRI_PORT', '70000', /^HAKKIRI_PORT: must be 0 to 65535$/],
    ['HAKKIRI_PORT', '80.5', /^HAKKIRI_PORT: must be a whole number$/],
    ['EVENTSTORE_URL', 'http://es:2113', /^EVENTSTORE_URL: must be an esdb/],
    [
      'EVENTSTORE_URL',
      'esdb://es:2113?tls=false&colour=blue',
      /^EVENTSTORE_URL: unknown option colour$/,
    ],
    [
      'EVENTSTORE_URL',
      'esdb://es:2113?tlsVerifyCert=false',
      /^EVENTSTORE_URL: tlsVerifyCert=false is not supported/,
    ],
    ['MONGODB_URL', 'postgres://db', /^MONGODB_URL: must be a mongodb/],
    ['HAKKIRI_LOG_LEVEL', 'loud', /^HAKKIRI_LOG_LEVEL: /],
    ['NODE_ENV', 'prod', /^NODE_ENV: /],
    ['HAKKIRI_TRUST_PROXY', 'maybe', /^HAKKIRI_TRUST_PROXY: must be true or/],
    [
      'HAKKIRI_BODY_LIMIT_BYTES',
      'lots',
      /^HAKKIRI_BODY_LIMIT_BYTES: must be a number of bytes$/,
    ],
    [
      'HAKKIRI_BODY_LIMIT_BYTES',
      '100',
      /^HAKKIRI_BODY_LIMIT_BYTES: must be 1024 to 10485760$/,
    ],
    [
      'HAKKIRI_BODY_LIMIT_BYTES',
      '20000000',
      /^HAKKIRI_BODY_LIMIT_BYTES: must be 1024 to 10485760$/,
    ],
    [
      'HAKKIRI_EGRESS_IPS',
      '203.0.113.7,not-an-address',
      /^HAKKIRI_EGRESS_IPS: must be a comma-separated list of IPv4 or IPv6/,
    ],
    [
      'HAKKIRI_EGRESS_IPS',
      '203.0.113.0/24',
      /^HAKKIRI_EGRESS_IPS: must be a comma-separated list/,
    ],
    [
      'HAKKIRI_SESSION_TTL_MINUTES',
      '0',
      /^HAKKIRI_SESSION_TTL_MINUTES: must be 1 to 1440$/,
    ],
    [
      'HAKKIRI_SESSION_TTL_MINUTES',
      '1441',
      /^HAKKIRI_SESSION_TTL_MINUTES: must be 1 to 1440$/,
    ],
    [
      'HAKKIRI_SESSION_TTL_MINUTES',
      'soon',
      /^HAKKIRI_SESSION_TTL_MINUTES: must be a number of minutes$/,
    ],
    [
      'HAKKIRI_SESSION_SECRET',
      'not base64!',
      /^HAKKIRI_SESSION_SECRET: must be base64$/,
    ],
    [
      'HAKKIRI_SESSION_SECRET',
      Buffer.alloc(31, 7).toString('base64'),
      /^HAKKIRI_SESSION_SECRET: must hold at least 32 bytes$/,
    ],
    [
      'HAKKIRI_MASTER_KEY',
      Buffer.alloc(31, 7).toString('base64'),
      /^HAKKIRI_MASTER_KEY: must be 32 bytes, base64-encoded$/,
    ],
    [
      'HAKKIRI_MASTER_KEY',
      'not base64!',
      /^HAKKIRI_MASTER_KEY: must be base64$/,
    ],
    [
      'HAKKIRI_MASTER_KEY_PREVIOUS',
      `${Buffer.alloc(32, 1).toString('base64')},short`,
      /^HAKKIRI_MASTER_KEY_PREVIOUS: must be base64$/,
    ],
    [
      'HAKKIRI_PUBLIC_URL',
      'hakkiri.example.com',
      /^HAKKIRI_PUBLIC_URL: must be an absolute URL$/,
    ],
    [
      'HAKKIRI_PUBLIC_URL',
      'ftp://hakkiri.example.com',
      /^HAKKIRI_PUBLIC_URL: must be an https URL$/,
    ],
    [
      'HAKKIRI_PUBLIC_URL',
      'http://hakkiri.example.com',
      /^HAKKIRI_PUBLIC_URL: may use http only for a loopback host$/,
    ],
    [
      'HAKKIRI_PUBLIC_URL',
      'https://hakkiri.example.com/?tenant=a',
      /^HAKKIRI_PUBLIC_URL: must not have a query or a fragment$/,
    ],
    ['HAKKIRI_HOST', '0.0.0.0', /^HAKKIRI_HOST: is not a loopback address/],
    ['HAKKIRI_HOST', '10.0.0.5', /^HAKKIRI_HOST: is not a loopback address/],
  ];

  for (const [variable, value, message] of bad) {
    it(`names ${variable} when it is ${JSON.stringify(value)}`, function () {
      expect(() => loadConfig({ [variable]: value }))
        .to.throw(ConfigError, message)
        .with.property('variable', variable);
    });
  }

  it('does not echo a bad connection string, which may hold a password', function () {
    expect(() => loadConfig({ EVENTSTORE_URL: 'https://admin:s3cret@es:2113' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.does.not.include('s3cret');
  });
});

describe('config of the API edge', function () {
  const secret = Buffer.alloc(32, 9);
  const masterKey = Buffer.alloc(32, 4);
  const production = {
    NODE_ENV: 'production',
    HAKKIRI_PUBLIC_URL: 'https://hakkiri.example.com',
    HAKKIRI_SESSION_SECRET: secret.toString('base64'),
    HAKKIRI_MASTER_KEY: masterKey.toString('base64'),
  };

  it('has defaults for a developer on loopback', function () {
    const config = loadConfig({});

    expect(config).to.deep.include({
      tls: undefined,
      trustProxy: false,
      bodyLimitBytes: 102400,
      egressAddresses: [],
      publicUrl: 'http://127.0.0.1:3000',
      sessionTtlMinutes: 15,
      sessionSecret: undefined,
    });
  });

  it('reads the body limit, the session lifetime and the proxy flag', function () {
    const config = loadConfig({
      HAKKIRI_BODY_LIMIT_BYTES: '2048',
      HAKKIRI_SESSION_TTL_MINUTES: '1440',
      HAKKIRI_TRUST_PROXY: 'true',
    });

    expect(config).to.deep.include({
      bodyLimitBytes: 2048,
      sessionTtlMinutes: 1440,
      trustProxy: true,
    });
    expect(loadConfig({ HAKKIRI_TRUST_PROXY: 'false' }).trustProxy).to.equal(
      false,
    );
  });

  it('reads the egress addresses, IPv4 and IPv6, around spaces', function () {
    const config = loadConfig({
      HAKKIRI_EGRESS_IPS: '203.0.113.7, 2001:db8::1 ,198.51.100.20',
    });

    expect(config.egressAddresses).to.deep.equal([
      '203.0.113.7',
      '2001:db8::1',
      '198.51.100.20',
    ]);
  });

  it('does not echo a bad egress list', function () {
    expect(() => loadConfig({ HAKKIRI_EGRESS_IPS: 'canary.internal' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.does.not.include('canary');
  });

  it('reads the public URL without a trailing slash', function () {
    expect(
      loadConfig({ HAKKIRI_PUBLIC_URL: 'https://hakkiri.example.com/api/' })
        .publicUrl,
    ).to.equal('https://hakkiri.example.com/api');
    expect(
      loadConfig({ HAKKIRI_PUBLIC_URL: 'http://localhost:8080' }).publicUrl,
    ).to.equal('http://localhost:8080');
  });

  it('does not echo a public URL that holds credentials', function () {
    expect(() =>
      loadConfig({ HAKKIRI_PUBLIC_URL: 'https://admin:s3cret@example.com' }),
    )
      .to.throw(ConfigError, /^HAKKIRI_PUBLIC_URL: must not hold credentials$/)
      .with.property('message')
      .that.does.not.include('s3cret');
  });

  it('decodes the session secret', function () {
    const config = loadConfig({
      HAKKIRI_SESSION_SECRET: secret.toString('base64'),
    });

    expect(config.sessionSecret).to.deep.equal(secret);
  });

  it('does not echo a session secret it refuses', function () {
    const short = Buffer.from('canary-short-secret').toString('base64');

    expect(() => loadConfig({ HAKKIRI_SESSION_SECRET: short }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.does.not.include(short);
  });

  it('starts in production with a public https URL and its secrets', function () {
    const config = loadConfig(production);

    expect(config.environment).to.equal('production');
    expect(config.publicUrl).to.equal('https://hakkiri.example.com');
    expect(config.sessionSecret).to.deep.equal(secret);
    expect(config.masterKey).to.deep.equal(masterKey);
  });

  it('reads previous master keys, and keeps keys apart from data', function () {
    const old = Buffer.alloc(32, 5);
    const config = loadConfig({
      HAKKIRI_DATA_DIR: '/srv/hakkiri',
      HAKKIRI_MASTER_KEY_PREVIOUS: `${old.toString('base64')}, ${masterKey.toString('base64')}`,
    });

    expect(config.previousMasterKeys).to.deep.equal([old, masterKey]);
    expect(config.keyStore).to.deep.equal({
      kind: 'sqlite',
      file: '/srv/hakkiri/keys.sqlite',
    });
  });

  it('keeps command state apart from the read models, or beside them in MongoDB', function () {
    expect(
      loadConfig({ HAKKIRI_DATA_DIR: '/srv/hakkiri' }).commandStateStore,
    ).to.deep.equal({
      kind: 'sqlite',
      file: '/srv/hakkiri/command-state.sqlite',
    });
    expect(
      loadConfig({ MONGODB_URL: 'mongodb://db:27017/hakkiri' })
        .commandStateStore,
    ).to.deep.equal({ kind: 'mongodb', url: 'mongodb://db:27017/hakkiri' });
  });

  const requiredInProduction: [string, RegExp][] = [
    ['HAKKIRI_PUBLIC_URL', /^HAKKIRI_PUBLIC_URL: is required in production$/],
    [
      'HAKKIRI_SESSION_SECRET',
      /^HAKKIRI_SESSION_SECRET: is required in production$/,
    ],
    ['HAKKIRI_MASTER_KEY', /^HAKKIRI_MASTER_KEY: is required in production$/],
  ];
  for (const [variable, message] of requiredInProduction) {
    it(`requires ${variable} in production`, function () {
      expect(() => loadConfig({ ...production, [variable]: undefined }))
        .to.throw(ConfigError, message)
        .with.property('variable', variable);
    });
  }

  it('refuses a loopback http public URL in production', function () {
    expect(() =>
      loadConfig({ ...production, HAKKIRI_PUBLIC_URL: 'http://127.0.0.1' }),
    ).to.throw(ConfigError, /^HAKKIRI_PUBLIC_URL: must be an https URL$/);
  });

  for (const host of ['localhost', '127.0.0.2', '::1']) {
    it(`serves plain HTTP on loopback ${host}`, function () {
      expect(loadConfig({ HAKKIRI_HOST: host }).host).to.equal(host);
    });
  }

  it('serves plain HTTP beyond loopback only behind a TLS proxy', function () {
    const config = loadConfig({
      HAKKIRI_HOST: '0.0.0.0',
      HAKKIRI_TRUST_PROXY: 'true',
      HAKKIRI_PUBLIC_URL: 'https://hakkiri.example.com',
    });

    expect(config).to.deep.include({ host: '0.0.0.0', trustProxy: true });
  });

  describe('with TLS files', function () {
    let certificate: TestCertificate;
    let other: TestCertificate;

    before(function () {
      certificate = selfSignedCertificate();
      other = selfSignedCertificate();
    });

    after(function () {
      certificate.dispose();
      other.dispose();
    });

    it('reads the certificate and key, and binds beyond loopback', function () {
      const config = loadConfig({
        HAKKIRI_HOST: '0.0.0.0',
        HAKKIRI_PORT: '8443',
        HAKKIRI_TLS_CERT: certificate.certFile,
        HAKKIRI_TLS_KEY: certificate.keyFile,
      });

      expect(config.tls?.cert).to.deep.equal(certificate.cert);
      expect(config.tls?.key.toString()).to.match(/BEGIN PRIVATE KEY/);
      expect(config.publicUrl).to.equal('https://0.0.0.0:8443');
    });

    const halves: [string, string, string][] = [
      ['HAKKIRI_TLS_CERT', 'certFile', 'HAKKIRI_TLS_KEY'],
      ['HAKKIRI_TLS_KEY', 'keyFile', 'HAKKIRI_TLS_CERT'],
    ];
    for (const [given, file, missing] of halves) {
      it(`names ${missing} when only ${given} is set`, function () {
        const path = certificate[file as 'certFile' | 'keyFile'];

        expect(() => loadConfig({ [given]: path }))
          .to.throw(ConfigError, new RegExp(`^${missing}: must be set with`))
          .with.property('variable', missing);
      });
    }

    it('names the variable of a file it cannot read', function () {
      expect(() =>
        loadConfig({
          HAKKIRI_TLS_CERT: certificate.certFile,
          HAKKIRI_TLS_KEY: `${certificate.dir}/missing.pem`,
        }),
      )
        .to.throw(
          ConfigError,
          /^HAKKIRI_TLS_KEY: names a file that cannot be read \(ENOENT\)$/,
        )
        .with.property('variable', 'HAKKIRI_TLS_KEY');
    });

    it('names a certificate file that holds none, without quoting it', function () {
      expect(() =>
        loadConfig({
          HAKKIRI_TLS_CERT: certificate.keyFile,
          HAKKIRI_TLS_KEY: certificate.keyFile,
        }),
      )
        .to.throw(ConfigError, /^HAKKIRI_TLS_CERT: holds no PEM certificate$/)
        .with.property('message')
        .that.does.not.include('PRIVATE KEY');
    });

    it('names a key file that holds no key', function () {
      expect(() =>
        loadConfig({
          HAKKIRI_TLS_CERT: certificate.certFile,
          HAKKIRI_TLS_KEY: certificate.certFile,
        }),
      ).to.throw(ConfigError, /^HAKKIRI_TLS_KEY: holds no unencrypted PEM/);
    });

    it('refuses a key that does not match the certificate', function () {
      expect(() =>
        loadConfig({
          HAKKIRI_TLS_CERT: certificate.certFile,
          HAKKIRI_TLS_KEY: other.keyFile,
        }),
      ).to.throw(ConfigError, /^HAKKIRI_TLS_KEY: does not match/);
    });
  });
});

describe('config of the connectors', function () {
  it('syncs every 15 minutes, on public targets only, by default', function () {
    expect(loadConfig({})).to.deep.include({
      syncIntervalMs: 15 * 60_000,
      allowPrivateTargets: false,
      webhookBodyLimitBytes: 1024 * 1024,
    });
  });

  it('reads the sync interval as a duration, and off', function () {
    const interval = (value: string) =>
      loadConfig({ HAKKIRI_SYNC_INTERVAL: value }).syncIntervalMs;

    expect(interval('90s')).to.equal(90_000);
    expect(interval('1h')).to.equal(3_600_000);
    expect(interval('250ms')).to.equal(250);
    expect(interval('off')).to.equal(0);
    expect(interval('0')).to.equal(0);
  });

  it('refuses a sync interval that is not a duration', function () {
    expect(() => loadConfig({ HAKKIRI_SYNC_INTERVAL: 'hourly' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.includes('HAKKIRI_SYNC_INTERVAL');
  });

  it('reads the private-target switch and the webhook body limit', function () {
    const config = loadConfig({
      HAKKIRI_ALLOW_PRIVATE_TARGETS: 'true',
      HAKKIRI_WEBHOOK_BODY_LIMIT_BYTES: '4096',
    });

    expect(config.allowPrivateTargets).to.equal(true);
    expect(config.webhookBodyLimitBytes).to.equal(4096);
    expect(() =>
      loadConfig({ HAKKIRI_ALLOW_PRIVATE_TARGETS: 'yes please' }),
    ).to.throw(ConfigError);
  });
});

describe('config of snapshots', function () {
  it('keeps snapshots for 90 days unless told fewer', function () {
    expect(loadConfig({}).snapshotRetentionDays).to.equal(90);
    expect(
      loadConfig({ HAKKIRI_SNAPSHOT_RETENTION_DAYS: '30' })
        .snapshotRetentionDays,
    ).to.equal(30);
  });

  it('refuses to keep them longer than the 90 days customers are promised', function () {
    expect(() => loadConfig({ HAKKIRI_SNAPSHOT_RETENTION_DAYS: '91' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.includes('HAKKIRI_SNAPSHOT_RETENTION_DAYS')
      .and.includes('90 days');
    expect(() => loadConfig({ HAKKIRI_SNAPSHOT_RETENTION_DAYS: '0' })).to.throw(
      ConfigError,
    );
  });
});
