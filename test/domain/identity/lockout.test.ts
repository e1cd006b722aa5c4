import { expect } from 'chai';

import { lockedUntil } from '../../../src/domain/identity/lockout.js';
import type { LoginAttemptEvent } from '../../../src/domain/identity/login-attempt-events.js';

const now = new Date('2026-12-03T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

function failed(minutes: number): LoginAttemptEvent {
  return {
    type: 'LoginFailed',
    data: { cause: 'wrong_password', at: minutesAgo(minutes).toISOString() },
  };
}

function refusedWhileLocked(minutes: number, until: Date): LoginAttemptEvent {
  return {
    type: 'LoginFailed',
    data: {
      cause: 'locked',
      at: minutesAgo(minutes).toISOString(),
      lockedUntil: until.toISOString(),
    },
  };
}

const succeeded: LoginAttemptEvent = {
  type: 'LoginSucceeded',
  data: { sessionId: 's-1', at: minutesAgo(20).toISOString() },
};

describe('login lockout', function () {
  it('is open after four failures', function () {
    expect(lockedUntil([1, 2, 3, 4].map(failed), now)).to.equal(undefined);
  });

  it('locks after five failures in 15 minutes, until the oldest leaves the window', function () {
    const until = lockedUntil([1, 2, 3, 4, 10].map(failed), now);

    expect(until?.toISOString()).to.equal(
      new Date(minutesAgo(10).getTime() + 15 * 60_000).toISOString(),
    );
  });

  it('forgets failures older than the window', function () {
    expect(lockedUntil([1, 2, 3, 4, 16].map(failed), now)).to.equal(undefined);
  });

  it('counts only failures since the last success', function () {
    const attempts = [failed(1), failed(2), succeeded, failed(21), failed(22)];

    expect(lockedUntil(attempts, now)).to.equal(undefined);
  });

  it('keeps a lock that only refusals remember, without extending it', function () {
    const end = new Date(now.getTime() + 5 * 60_000);
    const refusals = Array.from({ length: 20 }, (_, i) =>
      refusedWhileLocked(i * 0.1, end),
    );

    expect(lockedUntil(refusals, now)?.toISOString()).to.equal(
      end.toISOString(),
    );
    expect(lockedUntil(refusals, new Date(end.getTime() + 1))).to.equal(
      undefined,
    );
  });
});
