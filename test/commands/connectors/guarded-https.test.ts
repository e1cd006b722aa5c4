import { Agent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Socket } from 'node:net';

import { expect } from 'chai';

import { ConnectorError } from '../../../src/commands/connectors/connector-errors.js';
import { ResponseTooLargeError } from '../../../src/commands/connectors/bounded-body.js';
import { GuardedHttps } from '../../../src/commands/connectors/guarded-https.js';
import type {
  GuardedHttpsOptions,
  HttpsExchange,
} from '../../../src/commands/connectors/guarded-https.js';
import type {
  HostResolver,
  ResolvedAddress,
} from '../../../src/commands/connectors/pinned-lookup.js';
import { faults } from '../../doubles/jira/double-faults.js';
import {
  JiraDouble,
  serverCredentials,
} from '../../doubles/jira/jira-double.js';
import { rejectionOf } from '../../support/rejection.js';

describe('guarded HTTPS', function () {
  let double: JiraDouble;
  let guarded: GuardedHttps | undefined;
  const authorization = `Bearer ${serverCredentials.personalAccessToken}`;

  beforeEach(async function () {
    double = await JiraDouble.start({ kind: 'jira-server' });
  });

  afterEach(async function () {
    guarded?.close();
    guarded = undefined;
    await double.close();
  });

  function guard(options: Partial<GuardedHttpsOptions> = {}): GuardedHttps {
    guarded?.close();
    guarded = new GuardedHttps({
      allowPrivateTargets: true,
      timeoutMs: 2000,
      ...options,
    });

    return guarded;
  }

  function myself(baseUrl: string, extra: Partial<HttpsExchange> = {}) {
    return {
      baseUrl,
      caCertificate: double.caCertificate,
      method: 'GET' as const,
      path: '/rest/api/2/myself',
      headers: { authorization },
      ...extra,
    };
  }

  /** Answers with each list in turn, and counts the questions. */
  function resolverAnswering(...answers: string[][]) {
    const asked: string[] = [];
    const resolver: HostResolver = async (hostname) => {
      asked.push(hostname);
      const next = answers[Math.min(asked.length, answers.length) - 1]!;
      return next.map((address): ResolvedAddress => ({
        address,
        family: address.includes(':') ? 6 : 4,
      }));
    };

    return { resolver, asked };
  }

  async function refusalOf(promise: Promise<unknown>): Promise<ConnectorError> {
    const error = await rejectionOf(promise);
    expect(error).to.be.instanceOf(ConnectorError);

    return error as ConnectorError;
  }

  describe('TLS', function () {
    it('reaches a site on its custom port, trusting the connection CA', async function () {
      const answer = await guard().exchange(myself(double.baseUrl));

      expect(answer.status).to.equal(200);
      expect(JSON.parse(answer.body.toString())).to.include({
        displayName: 'Sync Robot',
      });
      expect(double.requests[0]).to.include({
        host: `127.0.0.1:${double.port}`,
        localAddress: '127.0.0.1',
      });
    });

    it('refuses a certificate of an unknown CA when the connection has none', async function () {
      const error = await refusalOf(
        guard().exchange(myself(double.baseUrl, { caCertificate: undefined })),
      );

      expect(error.reason).to.equal('tls');
      expect(double.requests).to.have.length(0);
    });

    it('refuses a CA that is not a PEM certificate', async function () {
      const error = await refusalOf(
        guard().exchange(
          myself(double.baseUrl, { caCertificate: 'not a pem' }),
        ),
      );

      expect(error.reason).to.equal('tls');
      expect(error.message).to.include('PEM');
    });

    it('checks the certificate against the host name while connecting to the pinned address', async function () {
      const { resolver } = resolverAnswering(['127.0.0.1']);
      const https = guard({ resolver });

      const named = await https.exchange(myself(double.urlFor('jira.test')));
      const error = await refusalOf(
        https.exchange(myself(double.urlFor('other.test'))),
      );

      expect(named.status).to.equal(200);
      expect(double.requests[0]?.host).to.equal(`jira.test:${double.port}`);
      expect(error.reason).to.equal('tls');
      expect(error.detail).to.equal('ERR_TLS_CERT_ALTNAME_INVALID');
    });
  });

  describe('private targets', function () {
    const strict = { allowPrivateTargets: false };

    it('refuses plain http before any connection', async function () {
      const error = await refusalOf(
        guard(strict).exchange(myself(`http://127.0.0.1:${double.port}`)),
      );

      expect(error.reason).to.equal('target_refused');
      expect(error.message).to.include('https://');
    });

    for (const host of [
      '127.0.0.1',
      '169.254.169.254',
      '10.0.0.1',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:a9fe:a9fe]',
      '2130706433',
      '0177.0.0.1',
      '0x7f.1',
      '127.1',
    ]) {
      it(`refuses https://${host}`, async function () {
        const error = await refusalOf(
          guard(strict).exchange(myself(`https://${host}:${double.port}`)),
        );

        expect(error.reason).to.equal('target_refused');
        expect(double.requests).to.have.length(0);
      });
    }

    it('refuses a host name that resolves to a private address', async function () {
      const { resolver, asked } = resolverAnswering(['10.1.2.3']);

      const error = await refusalOf(
        guard({ ...strict, resolver }).exchange(
          myself('https://jira.acme.example'),
        ),
      );

      expect(error.reason).to.equal('target_refused');
      expect(error.detail).to.equal(
        'jira.acme.example resolves to a private address',
      );
      expect(asked).to.deep.equal(['jira.acme.example']);
    });

    it('refuses a host name when any one of its addresses is private', async function () {
      const { resolver } = resolverAnswering([
        '93.184.215.14',
        '::ffff:127.0.0.1',
      ]);

      const error = await refusalOf(
        guard({ ...strict, resolver }).exchange(
          myself('https://jira.acme.example'),
        ),
      );

      expect(error.reason).to.equal('target_refused');
      expect(error.detail).to.include('loopback');
    });

    it('refuses localhost, through the system resolver', async function () {
      const error = await refusalOf(
        guard(strict).exchange(myself(`https://localhost:${double.port}`)),
      );

      expect(error.reason).to.equal('target_refused');
      expect(double.requests).to.have.length(0);
    });

    it('checks a target without a request, for when a connection is saved', async function () {
      const { resolver } = resolverAnswering(['192.168.0.10']);

      const error = await refusalOf(
        guard({ ...strict, resolver }).checkTarget('https://jira.acme.example'),
      );

      expect(error.reason).to.equal('target_refused');
    });
  });

  describe('DNS rebinding', function () {
    it('connects to the address it checked, and never asks DNS again', async function () {
      const { resolver, asked } = resolverAnswering(
        ['93.184.215.14'],
        ['127.0.0.1'],
      );
      const connections = spyOnConnections();

      try {
        const error = await refusalOf(
          guard({ allowPrivateTargets: false, resolver }).exchange(
            myself(`https://jira.acme.example:${double.port}`),
          ),
        );

        expect(error.reason).to.equal('unreachable');
      } finally {
        connections.restore();
      }

      expect(asked).to.have.length(1);
      expect(connections.seen).to.deep.equal([
        {
          host: 'jira.acme.example',
          servername: 'jira.acme.example',
          addresses: ['93.184.215.14'],
        },
      ]);
      expect(double.requests).to.have.length(0);
    });

    it('lets the pinned connection reach the first answer, not a later one', async function () {
      const trap = await JiraDouble.start({
        kind: 'jira-server',
        host: '127.0.0.2',
        port: double.port,
      });
      const { resolver, asked } = resolverAnswering(
        ['127.0.0.1'],
        ['127.0.0.2'],
      );

      try {
        const answer = await guard({ resolver }).exchange(
          myself(double.urlFor('jira.test')),
        );

        expect(answer.status).to.equal(200);
        expect(asked).to.have.length(1);
        expect(double.requests).to.have.length(1);
        expect(trap.requests).to.have.length(0);
      } finally {
        await trap.close();
      }
    });
  });

  describe('failures', function () {
    it('times out a server that answers too late', async function () {
      double.faults.next(1, faults.slow(1000));

      const error = await refusalOf(
        guard({ timeoutMs: 100 }).exchange(myself(double.baseUrl)),
      );

      expect(error.reason).to.equal('timeout');
    });

    it('refuses an answer larger than the limit', async function () {
      double.faults.next(1, faults.json({ padding: 'x'.repeat(5000) }));

      const error = await rejectionOf(
        guard({ maxResponseBytes: 1024 }).exchange(myself(double.baseUrl)),
      );

      expect(error).to.be.instanceOf(ResponseTooLargeError);
      expect((error as ConnectorError).reason).to.equal('invalid_response');
    });

    it('unpacks a gzipped answer, and limits what it unpacks to', async function () {
      const g = await JiraDouble.start({ kind: 'jira-server', compress: true });
      try {
        const plain = await guard().exchange(myself(g.baseUrl));
        g.faults.next(1, faults.json({ padding: 'x'.repeat(50_000) }));
        const bomb = await rejectionOf(
          guard({ maxResponseBytes: 10_000 }).exchange(myself(g.baseUrl)),
        );

        expect(plain.headers['content-encoding']).to.equal('gzip');
        expect(JSON.parse(plain.body.toString())).to.include({
          displayName: 'Sync Robot',
        });
        expect(bomb).to.be.instanceOf(ResponseTooLargeError);
      } finally {
        await g.close();
      }
    });

    it('reports a connection the server drops as unreachable', async function () {
      double.faults.next(1, faults.reset());

      const error = await refusalOf(guard().exchange(myself(double.baseUrl)));

      expect(error.reason).to.equal('unreachable');
    });

    it('reports a closed port and an unknown host as unreachable', async function () {
      const closed = double.baseUrl;
      await double.close();
      double = await JiraDouble.start({ kind: 'jira-server' });
      const failing: HostResolver = () =>
        Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));

      const refused = await refusalOf(guard().exchange(myself(closed)));
      const unknown = await refusalOf(
        guard({ resolver: failing }).exchange(
          myself('https://jira.nowhere.example'),
        ),
      );

      expect(refused.reason).to.equal('unreachable');
      expect(refused.detail).to.equal('ECONNREFUSED');
      expect(unknown.reason).to.equal('unreachable');
      expect(unknown.detail).to.equal('jira.nowhere.example did not resolve');
    });
  });
});

interface SeenConnection {
  host: string;
  servername: string;
  addresses: string[];
}

/**
 * Replaces how HTTPS agents open sockets, to see what a connection was
 * asked to reach and what its lookup answers, then fails it as a refused
 * connection would. Nothing leaves the machine.
 */
function spyOnConnections(): { seen: SeenConnection[]; restore(): void } {
  const prototype = Agent.prototype as unknown as {
    createConnection: (options: Record<string, unknown>) => Socket;
  };
  const original = prototype.createConnection;
  const seen: SeenConnection[] = [];

  prototype.createConnection = function (options) {
    const lookup = options.lookup as LookupFunction;
    const socket = new Socket();
    lookup(String(options.host), { all: true }, (_error, addresses) => {
      seen.push({
        host: String(options.host),
        servername: String(options.servername),
        addresses: (addresses as unknown as ResolvedAddress[]).map(
          (a) => a.address,
        ),
      });
      process.nextTick(() =>
        socket.destroy(
          Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
        ),
      );
    });

    return socket;
  };

  return { seen, restore: () => (prototype.createConnection = original) };
}
