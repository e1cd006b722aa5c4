import path from 'node:path';

import { expect } from 'chai';

import { ConfigError, loadConfig } from '../../src/config/config.js';

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
