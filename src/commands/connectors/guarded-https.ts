import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { SecureContext } from 'node:tls';

import { CaCertificateError, trustedCertificates } from './ca-certificate.js';
import { ConnectorError } from './connector-errors.js';
import {
  pinnedLookup,
  resolveChecked,
  systemResolver,
} from './pinned-lookup.js';
import type { HostResolver, ResolvedAddress } from './pinned-lookup.js';
import { parseTargetUrl, TargetUrlError } from './target-url.js';
import type { TargetUrl } from './target-url.js';
import { readBoundedBody } from './bounded-body.js';
import { connectionFailure, TimeoutSignal } from './connection-failures.js';

export interface GuardedHttpsOptions {
  /**
   * The operator's setting that turns the private-address check off, so
   * that tests can reach a stub on loopback.
   */
  allowPrivateTargets: boolean;
  resolver?: HostResolver;
  /** For the whole exchange: connect, TLS, headers and body. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Sockets kept open per trust setting, for the pages that follow. */
  maxSockets?: number;
}

export interface HttpsExchange {
  /** The connection's server URL, as stored; checked on every call. */
  baseUrl: string;
  /** PEM to trust besides the public roots. */
  caCertificate?: string;
  method: 'GET' | 'POST';
  /** Below the base URL's path, with its query: `/rest/api/2/myself`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export const defaultTimeoutMs = 30_000;
export const defaultMaxResponseBytes = 10 * 1024 * 1024;

/**
 * HTTPS to customers' servers, and nowhere else. Each exchange checks the
 * URL, resolves the host once, refuses it unless every address is public,
 * and connects to those very addresses while TLS still checks the host
 * name. Failures come out as ConnectorErrors; nothing here retries.
 */
export class GuardedHttps {
  private readonly resolver: HostResolver;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  /** One pool per trust setting, so no socket crosses from one to another. */
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly options: GuardedHttpsOptions) {
    this.resolver = options.resolver ?? systemResolver;
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  }

  /** The URL and address checks alone, e.g. when a connection is saved. */
  async checkTarget(baseUrl: string): Promise<TargetUrl> {
    const target = this.targetOf(baseUrl);
    await this.addressesOf(target);

    return target;
  }

  async exchange(exchange: HttpsExchange): Promise<HttpsAnswer> {
    const target = this.targetOf(exchange.baseUrl);
    const addresses = await this.addressesOf(target);
    const agent = this.agentFor(exchange.caCertificate);

    return this.send(target, addresses, agent, exchange);
  }

  /** Closes the kept sockets; later exchanges open new ones. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private targetOf(baseUrl: string): TargetUrl {
    try {
      return parseTargetUrl(baseUrl, this.options);
    } catch (error) {
      if (!(error instanceof TargetUrlError)) throw error;
      throw new ConnectorError('target_refused', error.message, {
        cause: error,
      });
    }
  }

  private async addressesOf(target: TargetUrl): Promise<ResolvedAddress[]> {
    const literal = target.literalAddress;
    if (literal !== undefined) {
      return [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
    }

    return resolveChecked(
      target.hostname,
      this.resolver,
      this.options.allowPrivateTargets,
    );
  }

  private agentFor(caCertificate: string | undefined): Agent {
    const key = caCertificate ?? '';
    const known = this.agents.get(key);
    if (known) return known;

    const agent = new Agent({
      keepAlive: true,
      maxSockets: this.options.maxSockets ?? 8,
      scheduling: 'lifo',
      timeout: this.timeoutMs,
      ...(caCertificate === undefined
        ? {}
        : { secureContext: secureContextFor(caCertificate) }),
    });
    this.agents.set(key, agent);

    return agent;
  }

  private send(
    target: TargetUrl,
    addresses: ResolvedAddress[],
    agent: Agent,
    exchange: HttpsExchange,
  ): Promise<HttpsAnswer> {
    return new Promise((resolve, reject) => {
      const request = httpsRequest({
        agent,
        host: target.hostname,
        port: target.port,
        ...(target.literalAddress === undefined
          ? { servername: target.hostname }
          : {}),
        lookup: pinnedLookup(addresses),
        method: exchange.method,
        path: `${target.basePath}${exchange.path}`,
        headers: {
          'accept-encoding': 'gzip',
          ...exchange.headers,
          host: target.host,
        },
      });
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const fail = (error: unknown) =>
        settle(() => reject(connectionFailure(error)));
      const timer = setTimeout(() => {
        fail(new TimeoutSignal(this.timeoutMs));
        request.destroy();
      }, this.timeoutMs);

      request.on('error', fail);
      request.on('response', (response) => {
        this.readAnswer(response).then(
          (answer) => settle(() => resolve(answer)),
          fail,
        );
      });
      request.end(exchange.body);
    });
  }

  private async readAnswer(response: IncomingMessage): Promise<HttpsAnswer> {
    const body = await readBoundedBody(response, this.maxResponseBytes);

    return {
      status: response.statusCode ?? 0,
      headers: response.headers,
      body,
    };
  }
}

/**
 * Building a context with the public roots costs a sizeable fraction of
 * a second, so each CA's context is built once per process and shared.
 */
const secureContexts = new Map<string, SecureContext>();
const maxSecureContexts = 256;

function secureContextFor(caCertificate: string): SecureContext {
  const known = secureContexts.get(caCertificate);
  if (known) return known;

  const context = newSecureContext(caCertificate);
  if (secureContexts.size >= maxSecureContexts) {
    secureContexts.delete(secureContexts.keys().next().value!);
  }
  secureContexts.set(caCertificate, context);

  return context;
}

function newSecureContext(caCertificate: string): SecureContext {
  try {
    return createSecureContext({ ca: trustedCertificates(caCertificate) });
  } catch (error) {
    const detail =
      error instanceof CaCertificateError
        ? error.message
        : 'the CA certificate could not be used';
    throw new ConnectorError('tls', detail, { cause: error });
  }
}
