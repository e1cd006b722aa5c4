import { expect } from 'chai';

import {
  decideRetry,
  defaultRetrySettings,
  serverWaitMs,
} from '../../../src/commands/connectors/retry-policy.js';
import type { RetryEnvironment } from '../../../src/commands/connectors/retry-policy.js';

describe('retry policy', function () {
  const now = Date.parse('2026-12-04T10:00:00Z');
  const settings = { ...defaultRetrySettings, baseDelayMs: 1000 };
  const noJitter: RetryEnvironment = { now: () => now, random: () => 0 };
  const fullJitter: RetryEnvironment = { now: () => now, random: () => 0.999 };
  const answer = (status: number, headers: Record<string, string> = {}) => ({
    kind: 'answer' as const,
    status,
    headers,
  });

  describe('the wait a server asks for', function () {
    it('reads Retry-After in seconds', function () {
      expect(serverWaitMs({ 'retry-after': '7' }, now)).to.equal(7000);
    });

    it('reads Retry-After as an HTTP date', function () {
      const headers = { 'retry-after': 'Fri, 04 Dec 2026 10:00:30 GMT' };

      expect(serverWaitMs(headers, now)).to.equal(30_000);
    });

    it('reads the ISO instant of Jira Cloud in X-RateLimit-Reset', function () {
      expect(
        serverWaitMs({ 'x-ratelimit-reset': '2026-12-04T10:02Z' }, now),
      ).to.equal(120_000);
    });

    it('reads epoch seconds in X-RateLimit-Reset, and the IETF headers', function () {
      const epoch = String(now / 1000 + 12);

      expect(serverWaitMs({ 'x-ratelimit-reset': epoch }, now)).to.equal(
        12_000,
      );
      expect(serverWaitMs({ 'ratelimit-reset': '4' }, now)).to.equal(4000);
      expect(
        serverWaitMs({ ratelimit: 'limit=10, remaining=0, reset=9' }, now),
      ).to.equal(9000);
    });

    it('reads the interval of Jira Data Center once no request remains', function () {
      const exhausted = {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-interval-seconds': '3',
      };

      expect(serverWaitMs(exhausted, now)).to.equal(3000);
      expect(
        serverWaitMs({ ...exhausted, 'x-ratelimit-remaining': '5' }, now),
      ).to.equal(undefined);
    });

    it('takes the longest of several, and never less than nothing', function () {
      const headers = {
        'retry-after': '5',
        'x-ratelimit-reset': '2026-12-04T10:01Z',
      };

      expect(serverWaitMs(headers, now)).to.equal(60_000);
      expect(
        serverWaitMs({ 'retry-after': 'Thu, 03 Dec 2026 10:00:00 GMT' }, now),
      ).to.equal(0);
    });

    it('has no wait without those headers, or with unreadable ones', function () {
      expect(serverWaitMs({}, now)).to.equal(undefined);
      expect(serverWaitMs({ 'retry-after': 'soon' }, now)).to.equal(undefined);
    });
  });

  describe('deciding', function () {
    it('accepts answers that are not throttling or passing failures', function () {
      for (const status of [200, 204, 301, 400, 401, 403, 404, 501]) {
        expect(
          decideRetry(answer(status), 1, settings, noJitter),
        ).to.deep.equal({
          kind: 'accept',
        });
      }
    });

    it('waits what a 429 asks for, with at most a second of jitter', function () {
      const throttled = answer(429, { 'retry-after': '20' });

      expect(decideRetry(throttled, 1, settings, noJitter)).to.deep.equal({
        kind: 'retry',
        delayMs: 20_000,
      });
      const jittered = decideRetry(throttled, 1, settings, fullJitter);
      expect(jittered.kind === 'retry' && jittered.delayMs).to.be.within(
        20_001,
        21_000,
      );
    });

    it('backs off exponentially, with jitter, when no wait is given', function () {
      const delays = [1, 2, 3].map((attempt) =>
        decideRetry(answer(500), attempt, settings, noJitter),
      );

      expect(delays).to.deep.equal([
        { kind: 'retry', delayMs: 500 },
        { kind: 'retry', delayMs: 1000 },
        { kind: 'retry', delayMs: 2000 },
      ]);
      expect(decideRetry(answer(502), 3, settings, fullJitter)).to.deep.equal({
        kind: 'retry',
        delayMs: 3998,
      });
    });

    it('caps the backoff', function () {
      const capped = { ...settings, maxFailedAttempts: 20, maxDelayMs: 5000 };

      expect(
        decideRetry({ kind: 'timeout' }, 10, capped, fullJitter),
      ).to.deep.equal({
        kind: 'retry',
        delayMs: 4998,
      });
    });

    it('gives up on failures after the bounded number of attempts', function () {
      const last = settings.maxFailedAttempts;

      expect(
        decideRetry(answer(504), last, settings, noJitter),
      ).to.deep.include({
        kind: 'give_up',
        reason: 'server_error',
      });
      expect(
        decideRetry({ kind: 'timeout' }, last, settings, noJitter),
      ).to.deep.include({
        kind: 'give_up',
        reason: 'timeout',
      });
      expect(
        decideRetry({ kind: 'reset' }, last, settings, noJitter),
      ).to.deep.include({
        kind: 'give_up',
        reason: 'unreachable',
      });
    });

    it('gives up on throttling after its own bound, as rate limited', function () {
      const last = settings.maxThrottledAttempts;

      expect(
        decideRetry(answer(429), last - 1, settings, noJitter).kind,
      ).to.equal('retry');
      expect(
        decideRetry(answer(429), last, settings, noJitter),
      ).to.deep.include({
        kind: 'give_up',
        reason: 'rate_limited',
      });
    });

    it('reads a 503 with a wait as throttling, and without as a failing server', function () {
      const last = settings.maxThrottledAttempts;
      const busy = answer(503, { 'retry-after': '1' });

      expect(decideRetry(busy, last, settings, noJitter)).to.deep.include({
        reason: 'rate_limited',
      });
      expect(
        decideRetry(answer(503), last, settings, noJitter),
      ).to.deep.include({
        reason: 'server_error',
      });
    });

    it('gives up at once when asked to wait longer than it may', function () {
      const throttled = answer(429, { 'retry-after': '600' });

      expect(decideRetry(throttled, 1, settings, noJitter)).to.deep.equal({
        kind: 'give_up',
        reason: 'rate_limited',
        detail: 'asked to wait 600 s',
      });
    });
  });
});
