import type { z } from 'zod';

import { ConnectorError } from '../connectors/connector-errors.js';
import type { ConnectorFailure } from '../connectors/connector-errors.js';
import type { HttpsAnswer } from '../connectors/guarded-https.js';
import type { RetryingHttps } from '../connectors/retrying-https.js';
import type {
  JiraCloudCredentials,
  JiraServerCredentials,
  JiraTarget,
} from './jira-client.js';

export interface JiraCall {
  method: 'GET' | 'POST';
  /** Below the base URL, with its query. */
  path: string;
  body?: unknown;
  /** Names the call in logs and errors. */
  operation: string;
}

export interface ReadOptions {
  /** `/myself` answering in another shape means the site is not Jira. */
  shapeFailure?: Extract<ConnectorFailure, 'not_jira' | 'invalid_response'>;
}

/**
 * One site and its credentials, and how Jira's answers are read: the
 * status, the media type, the JSON, then the schema. No message quotes
 * what the server sent; only status codes and schema paths are told.
 */
export class JiraSession {
  private readonly authorization: string;

  constructor(
    private readonly http: RetryingHttps,
    private readonly target: JiraTarget,
  ) {
    this.authorization = authorizationOf(target);
  }

  async read<T>(
    call: JiraCall,
    schema: z.ZodType<T>,
    options: ReadOptions = {},
  ): Promise<T> {
    const answer = await this.send(call);
    if (answer.status === 404) {
      throw new ConnectorError('not_jira', `${call.operation}: 404`);
    }

    return parsed(answer, call.operation, schema, options);
  }

  /** As `read`, but a 404 (a deleted issue) is `undefined`. */
  async readIfFound<T>(
    call: JiraCall,
    schema: z.ZodType<T>,
  ): Promise<T | undefined> {
    const answer = await this.send(call);
    if (answer.status === 404) return undefined;

    return parsed(answer, call.operation, schema, {});
  }

  private send(call: JiraCall): Promise<HttpsAnswer> {
    const body =
      call.body === undefined ? undefined : JSON.stringify(call.body);

    return this.http.exchange(
      {
        baseUrl: this.target.baseUrl,
        caCertificate: this.target.caCertificate,
        method: call.method,
        path: call.path,
        headers: {
          accept: 'application/json',
          authorization: this.authorization,
          'user-agent': 'Hakkiri',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
      },
      call.operation,
    );
  }
}

function parsed<T>(
  answer: HttpsAnswer,
  operation: string,
  schema: z.ZodType<T>,
  options: ReadOptions,
): T {
  refuseStatus(answer, operation);

  const json = jsonOf(answer, operation);
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ConnectorError(
      options.shapeFailure ?? 'invalid_response',
      `${operation}: ${describeIssues(result.error.issues)}`,
    );
  }

  return result.data;
}

function refuseStatus(answer: HttpsAnswer, operation: string): void {
  const { status, headers } = answer;
  if (status >= 200 && status < 300) return;

  const detail = `${operation}: ${status}`;
  if (status === 401) throw new ConnectorError('unauthorized', detail);
  if (status === 403) {
    // Jira Server and Data Center say 403 when a login is refused, or
    // when it now needs a CAPTCHA; the reason is in this header.
    const login = String(headers['x-seraph-loginreason'] ?? '');
    const refused = /AUTHENTICATED_FAILED|AUTHENTICATION_DENIED/.test(login);
    throw new ConnectorError(refused ? 'unauthorized' : 'forbidden', detail);
  }
  if (status === 400) throw new ConnectorError('query_refused', detail);
  if (status >= 500) throw new ConnectorError('server_error', detail);

  throw new ConnectorError('not_jira', detail);
}

function jsonOf(answer: HttpsAnswer, operation: string): unknown {
  const type = String(answer.headers['content-type'] ?? '');
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ConnectorError(
      'not_jira',
      `${operation}: the answer is not JSON`,
    );
  }

  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw new ConnectorError('not_jira', `${operation}: the JSON is malformed`);
  }
}

/** Where the answer went wrong, by path and kind only. */
function describeIssues(issues: z.core.$ZodIssue[]): string {
  const shown = issues
    .slice(0, 5)
    .map(
      (issue) =>
        `${issue.path.map(String).join('.') || '(root)'} (${issue.code})`,
    );
  const more =
    issues.length > shown.length ? ` and ${issues.length - 5} more` : '';

  return `unexpected at ${shown.join(', ')}${more}`;
}

function authorizationOf(target: JiraTarget): string {
  const { kind, credentials } = target;
  if (kind === 'jira-cloud' && 'apiToken' in credentials) {
    const { email, apiToken } = credentials as JiraCloudCredentials;
    return `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
  }
  if (kind === 'jira-server' && 'personalAccessToken' in credentials) {
    const { personalAccessToken } = credentials as JiraServerCredentials;
    return `Bearer ${personalAccessToken}`;
  }

  throw new ConnectorError('unauthorized', `no credentials for ${kind}`);
}
