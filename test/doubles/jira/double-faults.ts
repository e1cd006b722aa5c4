/** What the double does instead of answering as Jira. */
export type DoubleFault =
  | {
      kind: 'answer';
      status: number;
      headers?: Record<string, string>;
      contentType?: string;
      body?: string;
    }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' };

const jiraError = (message: string) =>
  JSON.stringify({ errorMessages: [message], errors: {} });

/** The faults tests ask for, shaped as Jira sends them. */
export const faults = {
  /** 429 with `Retry-After` in seconds, as Cloud and Data Center send. */
  rateLimited: (retryAfterSeconds: number): DoubleFault => ({
    kind: 'answer',
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: jiraError('Rate limit exceeded.'),
  }),
  /** 429 with Jira Cloud's `X-RateLimit-Reset`, an ISO instant. */
  rateLimitedUntil: (reset: Date): DoubleFault => ({
    kind: 'answer',
    status: 429,
    headers: {
      'x-ratelimit-reset': reset.toISOString(),
      'x-ratelimit-limit': '100',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-nearlimit': 'true',
      'ratelimit-reason': 'jira-burst-based',
    },
    body: jiraError('Rate limit exceeded.'),
  }),
  unavailable: (retryAfterSeconds?: number): DoubleFault => ({
    kind: 'answer',
    status: 503,
    headers:
      retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(retryAfterSeconds) },
    body: jiraError('Service unavailable.'),
  }),
  serverError: (status = 500): DoubleFault => ({
    kind: 'answer',
    status,
    body: jiraError('Internal server error.'),
  }),
  /** Waits, then answers as Jira would. */
  slow: (ms: number): DoubleFault => ({ kind: 'delay', ms }),
  /** A login page or a proxy's page: HTML, not Jira's JSON. */
  htmlPage: (status = 200): DoubleFault => ({
    kind: 'answer',
    status,
    contentType: 'text/html;charset=UTF-8',
    body: '<!DOCTYPE html><html><head><title>Log in</title></head><body></body></html>',
  }),
  json: (body: unknown, status = 200): DoubleFault => ({
    kind: 'answer',
    status,
    body: JSON.stringify(body),
  }),
  forbidden: (): DoubleFault => ({
    kind: 'answer',
    status: 403,
    body: jiraError(
      'You do not have the permission to see the specified issue.',
    ),
  }),
  /** Data Center's 403 once a login needs a CAPTCHA. */
  captchaRequired: (): DoubleFault => ({
    kind: 'answer',
    status: 403,
    headers: { 'x-seraph-loginreason': 'AUTHENTICATION_DENIED' },
    body: jiraError('CAPTCHA_CHALLENGE'),
  }),
  notFound: (): DoubleFault => ({
    kind: 'answer',
    status: 404,
    body: jiraError('Not found.'),
  }),
  reset: (): DoubleFault => ({ kind: 'reset' }),
};

interface PlannedFault {
  fault: DoubleFault;
  remaining: number;
  path: RegExp | undefined;
}

/** Faults for the next requests, optionally only those whose path matches. */
export class FaultPlan {
  private planned: PlannedFault[] = [];

  next(times: number, fault: DoubleFault, path?: RegExp): void {
    this.planned.push({ fault, remaining: times, path });
  }

  /** Every request from now on, until `clear()`. */
  always(fault: DoubleFault, path?: RegExp): void {
    this.next(Number.POSITIVE_INFINITY, fault, path);
  }

  take(path: string): DoubleFault | undefined {
    const planned = this.planned.find(
      (p) => p.remaining > 0 && (p.path === undefined || p.path.test(path)),
    );
    if (!planned) return undefined;

    planned.remaining -= 1;
    this.planned = this.planned.filter((p) => p.remaining > 0);

    return planned.fault;
  }

  clear(): void {
    this.planned = [];
  }
}
