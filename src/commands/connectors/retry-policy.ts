import type { IncomingHttpHeaders } from 'node:http';

import type { ConnectorFailure } from './connector-errors.js';

export interface RetrySettings {
  /** Attempts in all, the first included, when the server throttles. */
  maxThrottledAttempts: number;
  /** Attempts in all after timeouts, resets and 5xx answers. */
  maxFailedAttempts: number;
  /** The first backoff; each retry doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest wait a server may ask for; asking more ends the call. */
  maxServerWaitMs: number;
}

export const defaultRetrySettings: RetrySettings = {
  maxThrottledAttempts: 8,
  maxFailedAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxServerWaitMs: 120_000,
};

/** How one attempt ended, as far as retrying cares. */
export type AttemptOutcome =
  | { kind: 'answer'; status: number; headers: IncomingHttpHeaders }
  | { kind: 'timeout' }
  | { kind: 'reset' };

export type RetryDecision =
  | { kind: 'accept' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'give_up'; reason: ConnectorFailure; detail: string };

/** What the clock and the dice say; injected so tests need not wait. */
export interface RetryEnvironment {
  now(): number;
  /** A number in [0, 1). */
  random(): number;
}

const throttlingStatuses = new Set([429, 503]);
const passingFailureStatuses = new Set([500, 502, 504]);

/**
 * Whether to try again after `attempt` (1 for the first), and after how
 * long. A throttled answer waits what its headers say, plus a little
 * jitter so many workers do not come back at the same instant; other
 * passing failures back off exponentially, with jitter.
 */
export function decideRetry(
  outcome: AttemptOutcome,
  attempt: number,
  settings: RetrySettings,
  environment: RetryEnvironment,
): RetryDecision {
  if (outcome.kind === 'timeout') {
    return failed(attempt, settings, environment, 'timeout', 'no answer');
  }
  if (outcome.kind === 'reset') {
    return failed(attempt, settings, environment, 'unreachable', 'reset');
  }

  const { status, headers } = outcome;
  if (throttlingStatuses.has(status)) {
    return throttled(status, headers, attempt, settings, environment);
  }
  if (passingFailureStatuses.has(status)) {
    return failed(attempt, settings, environment, 'server_error', `${status}`);
  }

  return { kind: 'accept' };
}

function throttled(
  status: number,
  headers: IncomingHttpHeaders,
  attempt: number,
  settings: RetrySettings,
  environment: RetryEnvironment,
): RetryDecision {
  const waitMs = serverWaitMs(headers, environment.now());
  const reason =
    status === 429 || waitMs !== undefined ? 'rate_limited' : 'server_error';
  const detail = `${status} after ${attempt} attempts`;
  if (attempt >= settings.maxThrottledAttempts) {
    return { kind: 'give_up', reason, detail };
  }
  if (waitMs === undefined) {
    return {
      kind: 'retry',
      delayMs: backoffMs(attempt, settings, environment),
    };
  }
  if (waitMs > settings.maxServerWaitMs) {
    const seconds = Math.ceil(waitMs / 1000);
    return { kind: 'give_up', reason, detail: `asked to wait ${seconds} s` };
  }

  const jitterMs = environment.random() * Math.min(1000, 100 + waitMs / 10);

  return { kind: 'retry', delayMs: Math.round(waitMs + jitterMs) };
}

function failed(
  attempt: number,
  settings: RetrySettings,
  environment: RetryEnvironment,
  reason: ConnectorFailure,
  what: string,
): RetryDecision {
  if (attempt >= settings.maxFailedAttempts) {
    return {
      kind: 'give_up',
      reason,
      detail: `${what} after ${attempt} attempts`,
    };
  }

  return { kind: 'retry', delayMs: backoffMs(attempt, settings, environment) };
}

/** Exponential, capped, half of it jittered. */
function backoffMs(
  attempt: number,
  settings: RetrySettings,
  environment: RetryEnvironment,
): number {
  const ceiling = Math.min(
    settings.maxDelayMs,
    settings.baseDelayMs * 2 ** (attempt - 1),
  );

  return Math.round(ceiling / 2 + (environment.random() * ceiling) / 2);
}

/**
 * The longest wait any rate-limit header asks for, in milliseconds:
 * `Retry-After` (seconds or an HTTP date), Jira Cloud's `X-RateLimit-Reset`
 * (an ISO instant such as `2026-12-04T10:15Z`; epoch seconds elsewhere),
 * the IETF draft's `RateLimit-Reset` and `RateLimit: ...;reset=`, and
 * Jira Data Center's `X-RateLimit-Interval-Seconds` once none remain.
 */
export function serverWaitMs(
  headers: IncomingHttpHeaders,
  now: number,
): number | undefined {
  const hints = [
    delayOrDate(header(headers, 'retry-after'), now),
    resetInstant(header(headers, 'x-ratelimit-reset'), now),
    seconds(header(headers, 'ratelimit-reset')),
    seconds(/reset=(\d+)/.exec(header(headers, 'ratelimit') ?? '')?.[1]),
    exhaustedInterval(headers),
  ].filter((hint): hint is number => hint !== undefined);

  return hints.length === 0 ? undefined : Math.max(0, ...hints);
}

function header(
  headers: IncomingHttpHeaders,
  name: string,
): string | undefined {
  const value = headers[name];

  return Array.isArray(value) ? value[0] : value;
}

function delayOrDate(
  value: string | undefined,
  now: number,
): number | undefined {
  return seconds(value) ?? instant(value, now);
}

function resetInstant(
  value: string | undefined,
  now: number,
): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) {
    return instant(value, now);
  }

  const number = Number(value);
  if (number > 1e12) return number - now;
  if (number > 1e9) return number * 1000 - now;

  return number * 1000;
}

function exhaustedInterval(headers: IncomingHttpHeaders): number | undefined {
  if (header(headers, 'x-ratelimit-remaining')?.trim() !== '0')
    return undefined;

  return seconds(header(headers, 'x-ratelimit-interval-seconds'));
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) {
    return undefined;
  }

  return Number(value) * 1000;
}

function instant(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;

  const at = Date.parse(value);

  return Number.isNaN(at) ? undefined : at - now;
}
