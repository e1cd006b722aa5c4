import type { LoginAttemptEvent } from './login-attempt-events.js';

export interface LockoutPolicy {
  /** Failed logins within the window that lock the account. */
  maxFailures: number;
  windowMs: number;
}

export const defaultLockoutPolicy: LockoutPolicy = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
};

/**
 * How many of an account's latest attempts `lockedUntil` needs to see.
 * Refusals during a lock carry the lock's end, so a long run of them still
 * holds the answer.
 */
export const attemptsToRead = 20;

/**
 * When the account's lock ends, or undefined when it is not locked. The
 * attempts come newest first, and only the last few are given: the login
 * stream of an account grows for ever, and folding all of it on every
 * login would make logins slower with age.
 *
 * A lock ends when the oldest of the failures that caused it leaves the
 * window. Attempts refused because of a lock do not count as failures,
 * otherwise a steady stream of guesses would keep the lock for ever.
 */
export function lockedUntil(
  newestFirst: readonly LoginAttemptEvent[],
  now: Date,
  policy: LockoutPolicy = defaultLockoutPolicy,
): Date | undefined {
  const windowStart = now.getTime() - policy.windowMs;
  const failures: number[] = [];
  let until = 0;

  for (const attempt of newestFirst) {
    if (attempt.type === 'LoginSucceeded') break;

    const at = Date.parse(attempt.data.at);
    const lockEnd = attempt.data.lockedUntil;
    if (attempt.data.cause === 'locked') {
      if (lockEnd !== undefined) until = Math.max(until, Date.parse(lockEnd));
    } else if (at > windowStart) {
      failures.push(at);
    }
  }

  if (failures.length >= policy.maxFailures) {
    const oldestCounted = failures[policy.maxFailures - 1]!;
    until = Math.max(until, oldestCounted + policy.windowMs);
  }

  return until > now.getTime() ? new Date(until) : undefined;
}
