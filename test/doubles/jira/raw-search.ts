import { Agent, request } from 'node:https';

import { jiraIssueFields } from '../../../src/commands/jira/jira-issue.js';
import type { JiraDouble } from './jira-double.js';

export interface RawSearchResult {
  issues: number;
  histories: number;
  requests: number;
}

interface RawIssue {
  id: string;
  changelog?: { total?: number; histories: unknown[] };
}

interface RawPage {
  issues: RawIssue[];
  nextPageToken?: string;
  startAt?: number;
  total?: number;
}

/**
 * The benchmark's baseline: the same search, pages and cut changelogs
 * fetched from the double with bare `node:https` and `JSON.parse`, no
 * checks, no schema, no retries. What is left is the double's own rate.
 */
export async function rawSearch(
  double: JiraDouble,
  jql: string,
  pageSize = double.kind === 'jira-cloud' ? 100 : 50,
): Promise<RawSearchResult> {
  const agent = new Agent({ keepAlive: true, ca: double.caCertificate });
  const get = (path: string, body?: object) =>
    fetchJson(double, agent, path, body);
  const result: RawSearchResult = { issues: 0, histories: 0, requests: 0 };

  try {
    let page: RawPage | undefined = await searchOf(
      double,
      get,
      jql,
      pageSize,
      {},
    );
    while (page) {
      result.requests += 1;
      result.issues += page.issues.length;
      for (const issue of page.issues) {
        const histories = await fullHistories(double, get, issue, result);
        result.histories += histories;
      }
      page = await nextPage(double, get, jql, pageSize, page);
    }
  } finally {
    agent.destroy();
  }

  return result;
}

type Get = (path: string, body?: object) => Promise<unknown>;

function searchOf(
  double: JiraDouble,
  get: Get,
  jql: string,
  pageSize: number,
  from: { token?: string; startAt?: number },
): Promise<RawPage> {
  if (double.kind === 'jira-cloud') {
    return get('/rest/api/3/search/jql', {
      jql,
      maxResults: pageSize,
      fields: jiraIssueFields,
      expand: 'changelog',
      ...(from.token ? { nextPageToken: from.token } : {}),
    }) as Promise<RawPage>;
  }

  const query = new URLSearchParams({
    jql,
    startAt: String(from.startAt ?? 0),
    maxResults: String(pageSize),
    fields: jiraIssueFields.join(','),
    expand: 'changelog',
  });

  return get(`/rest/api/2/search?${query}`) as Promise<RawPage>;
}

async function nextPage(
  double: JiraDouble,
  get: Get,
  jql: string,
  size: number,
  page: RawPage,
): Promise<RawPage | undefined> {
  if (double.kind === 'jira-cloud') {
    return page.nextPageToken
      ? searchOf(double, get, jql, size, { token: page.nextPageToken })
      : undefined;
  }

  const end = (page.startAt ?? 0) + page.issues.length;
  return page.issues.length > 0 && end < (page.total ?? 0)
    ? searchOf(double, get, jql, size, { startAt: end })
    : undefined;
}

async function fullHistories(
  double: JiraDouble,
  get: Get,
  issue: RawIssue,
  result: RawSearchResult,
): Promise<number> {
  const inline = issue.changelog?.histories.length ?? 0;
  if ((issue.changelog?.total ?? 0) <= inline) return inline;

  result.requests += 1;
  if (double.kind === 'jira-server') {
    const read = (await get(
      `/rest/api/2/issue/${issue.id}?expand=changelog&fields=created`,
    )) as RawIssue;
    return read.changelog?.histories.length ?? 0;
  }

  let count = 0;
  for (let startAt = 0; ;) {
    const page = (await get(
      `/rest/api/3/issue/${issue.id}/changelog?startAt=${startAt}&maxResults=100`,
    )) as { values: unknown[]; isLast: boolean };
    count += page.values.length;
    startAt += page.values.length;
    if (page.isLast || page.values.length === 0) return count;
    result.requests += 1;
  }
}

function fetchJson(
  double: JiraDouble,
  agent: Agent,
  path: string,
  body?: object,
): Promise<unknown> {
  const url = new URL(`${double.baseUrl}${path}`);
  const credentials = double.credentials;
  const authorization =
    'personalAccessToken' in credentials
      ? `Bearer ${credentials.personalAccessToken}`
      : `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;
  const payload = body === undefined ? undefined : JSON.stringify(body);

  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      {
        agent,
        method: payload === undefined ? 'GET' : 'POST',
        headers: {
          authorization,
          accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json' }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
}
