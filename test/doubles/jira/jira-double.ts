import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

import type {
  JiraCredentials,
  JiraTarget,
} from '../../../src/commands/jira/jira-client.js';
import { jiraIssueFields } from '../../../src/commands/jira/jira-issue.js';
import { FaultPlan } from './double-faults.js';
import type { DoubleFault } from './double-faults.js';
import { DoubleIssues } from './double-issues.js';
import type { DoublePerson } from './double-issues.js';
import { defaultStatuses } from './double-statuses.js';
import type { DoubleStatus } from './double-statuses.js';
import { IssueRenderer } from './issue-rendering.js';
import type { JiraKind } from './issue-rendering.js';
import { JiraRoutes } from './jira-routes.js';
import type { DoubleAnswer } from './jira-routes.js';
import { testCertificates } from './test-certificates.js';

export interface JiraDoubleOptions {
  kind: JiraKind;
  /** The address to listen on; 127.0.0.1 unless told. */
  host?: string;
  port?: number;
  /** A context path such as `/jira`, as Server sites often have. */
  contextPath?: string;
  /** The zone `/myself` reports, and JQL dates are read in. */
  timeZone?: string;
  /** Histories in a search result's changelog; more are cut. */
  inlineChangelogLimit?: number;
  /** The most issues a search page holds, whatever is asked. */
  maxPageSize?: number;
  credentials?: JiraCredentials;
  statuses?: DoubleStatus[];
  /** Gzip answers to clients that accept it, as Jira Cloud does. */
  compress?: boolean;
  /** Keep each request for the test to read; off for benchmarks. */
  recordRequests?: boolean;
  now?: () => number;
}

export interface RecordedRequest {
  method: string;
  /** Below the context path. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
  authorized: boolean;
  /** The address the connection came in on. */
  localAddress: string | undefined;
  host: string | undefined;
}

export const cloudCredentials = {
  email: 'sync@acme.example',
  apiToken: 'cloud-api-token-1234',
};

export const serverCredentials = { personalAccessToken: 'server-pat-5678' };

export const doubleAccount: DoublePerson = {
  id: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
  displayName: 'Sync Robot',
};

/**
 * A Jira site for tests and benchmarks, over HTTPS with a certificate of
 * a test CA: Cloud (REST v3) or Server (REST v2), with their auth, their
 * paging, cut changelogs and the changelog endpoints, and faults on
 * demand. It is a double, for test/ only.
 */
export class JiraDouble {
  readonly issues: DoubleIssues;
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  readonly caCertificate = testCertificates().caCertificate;
  readonly credentials: JiraCredentials;
  readonly timeZone: string;
  readonly statuses: DoubleStatus[];
  inlineChangelogLimit: number;
  private readonly contextPath: string;
  private readonly routes: JiraRoutes;
  private readonly renderer: IssueRenderer;

  private constructor(
    readonly kind: JiraKind,
    private readonly server: Server,
    readonly port: number,
    private readonly options: JiraDoubleOptions,
  ) {
    this.contextPath = options.contextPath ?? '';
    this.timeZone = options.timeZone ?? 'Europe/Helsinki';
    this.credentials =
      options.credentials ??
      (kind === 'jira-cloud' ? cloudCredentials : serverCredentials);
    this.statuses = options.statuses ?? defaultStatuses;
    this.inlineChangelogLimit =
      options.inlineChangelogLimit ??
      (kind === 'jira-cloud' ? 100 : Number.POSITIVE_INFINITY);
    this.issues = new DoubleIssues(
      kind === 'jira-cloud' ? 'id' : 'index',
      options.now,
    );
    const renderer = (this.renderer = new IssueRenderer({
      kind,
      siteUrl: this.urlFor('127.0.0.1'),
      timeZone: this.timeZone,
      statuses: new Map(this.statuses.map((status) => [status.id, status])),
    }));
    this.routes = new JiraRoutes(this, renderer, doubleAccount, {
      maxPageSize: options.maxPageSize ?? (kind === 'jira-cloud' ? 100 : 1000),
    });
  }

  static async start(options: JiraDoubleOptions): Promise<JiraDouble> {
    const { serverCertificate, serverKey } = testCertificates();
    const server = createServer({ cert: serverCertificate, key: serverKey });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;

    const double = new JiraDouble(options.kind, server, port, options);
    server.on(
      'request',
      (request: IncomingMessage, response: ServerResponse) => {
        double.handle(request, response).catch(() => response.destroy());
      },
    );

    return double;
  }

  /** `https://127.0.0.1:<port>[/context]`. */
  get baseUrl(): string {
    return this.urlFor('127.0.0.1');
  }

  /** The site under another name the certificate holds (`localhost`, `jira.test`). */
  urlFor(hostname: string): string {
    return `https://${hostname}:${this.port}${this.contextPath}`;
  }

  /** A connection to this site, trusting its CA, with its credentials. */
  target(overrides: Partial<JiraTarget> = {}): JiraTarget {
    return {
      kind: this.kind,
      baseUrl: this.baseUrl,
      credentials: this.credentials,
      caCertificate: this.caCertificate,
      ...overrides,
    };
  }

  /**
   * Renders every issue as sync's search asks for it, so that a benchmark
   * measures serving pages rather than writing them.
   */
  prerender(): void {
    for (const stored of this.issues.inOrder()) {
      this.renderer.issueJson(
        stored,
        jiraIssueFields,
        this.inlineChangelogLimit,
      );
    }
  }

  statusName(id: string): string {
    return this.statuses.find((status) => status.id === id)?.name ?? id;
  }

  /** The requests whose path, below the context path, matches. */
  requestsTo(path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => path.test(request.path));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://double.invalid');
    const body = await bodyOf(request);
    const path = url.pathname.startsWith(this.contextPath)
      ? url.pathname.slice(this.contextPath.length)
      : '/outside-the-context-path';
    const authorized = this.isAuthorized(request.headers.authorization);
    this.record(request, path, url.searchParams, body, authorized);

    const fault = this.faults.take(path);
    if (fault?.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await pause(fault.ms);

    const answer =
      answerOf(fault) ??
      (authorized
        ? this.routes.answer(
            request.method ?? 'GET',
            path,
            url.searchParams,
            body,
          )
        : unauthorized());
    const gzip =
      this.options.compress === true &&
      /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    send(response, answer, gzip);
  }

  private isAuthorized(header: string | undefined): boolean {
    const credentials = this.credentials;
    const expected =
      'personalAccessToken' in credentials
        ? `Bearer ${credentials.personalAccessToken}`
        : `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;

    return header === expected;
  }

  private record(
    request: IncomingMessage,
    path: string,
    query: URLSearchParams,
    body: unknown,
    authorized: boolean,
  ): void {
    if (this.options.recordRequests === false) return;

    this.requests.push({
      method: request.method ?? 'GET',
      path,
      query,
      body,
      authorization: request.headers.authorization,
      authorized,
      localAddress: request.socket.localAddress,
      host: request.headers.host,
    });
  }
}

function answerOf(fault: DoubleFault | undefined): DoubleAnswer | undefined {
  if (fault?.kind !== 'answer') return undefined;

  return {
    status: fault.status,
    headers: fault.headers ?? {},
    contentType: fault.contentType ?? 'application/json;charset=UTF-8',
    body: fault.body ?? '',
  };
}

function unauthorized(): DoubleAnswer {
  return {
    status: 401,
    headers: { 'www-authenticate': 'Basic realm="protected-area"' },
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify({
      errorMessages: [
        'You are not authenticated. Authentication required to perform this operation.',
      ],
      errors: {},
    }),
  };
}

function send(
  response: ServerResponse,
  answer: DoubleAnswer,
  gzip: boolean,
): void {
  const body = gzip ? gzipSync(answer.body) : Buffer.from(answer.body);
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-type': answer.contentType,
    'content-length': body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  response.end(body);
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;

  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
