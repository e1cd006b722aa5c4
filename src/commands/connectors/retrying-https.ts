import type { Logger } from '../../ports/logger.js';
import { ConnectionResetError, TimeoutSignal } from './connection-failures.js';
import { ConnectorError } from './connector-errors.js';
import type { HttpsAnswer, HttpsExchange } from './guarded-https.js';
import { decideRetry, defaultRetrySettings } from './retry-policy.js';
import type {
  AttemptOutcome,
  RetryEnvironment,
  RetrySettings,
} from './retry-policy.js';

/** What RetryingHttps sends through: GuardedHttps, or a test's fake. */
export interface HttpsExchanger {
  exchange(exchange: HttpsExchange): Promise<HttpsAnswer>;
}

export interface RetryingHttpsOptions {
  https: HttpsExchanger;
  logger: Logger;
  retry?: Partial<RetrySettings>;
  /** Injected by tests so that waits take no time. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/**
 * Sends an exchange until it gets an answer worth keeping: throttled,
 * timed-out, reset and 5xx attempts are tried again within the retry
 * settings, then end as a ConnectorError. Every other answer, 4xx
 * included, is the caller's to read.
 */
export class RetryingHttps {
  private readonly settings: RetrySettings;
  private readonly environment: RetryEnvironment;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RetryingHttpsOptions) {
    this.settings = { ...defaultRetrySettings, ...options.retry };
    this.environment = {
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    };
    this.sleep = options.sleep ?? pause;
  }

  /** `operation` names the call in logs and errors, e.g. `search`. */
  async exchange(
    exchange: HttpsExchange,
    operation: string,
  ): Promise<HttpsAnswer> {
    for (let attempt = 1; ; attempt += 1) {
      const { answer, outcome } = await this.attempt(exchange);
      const decision = decideRetry(
        outcome,
        attempt,
        this.settings,
        this.environment,
      );

      if (decision.kind === 'accept' && answer) return answer;
      if (decision.kind === 'give_up') {
        this.log(exchange, operation, outcome, attempt).warn(
          'giving up a connector call',
        );
        throw new ConnectorError(
          decision.reason,
          `${operation}: ${decision.detail}`,
        );
      }
      if (decision.kind === 'retry') {
        this.log(exchange, operation, outcome, attempt).warn(
          { delayMs: decision.delayMs },
          'retrying a connector call',
        );
        await this.sleep(decision.delayMs);
      }
    }
  }

  private async attempt(
    exchange: HttpsExchange,
  ): Promise<{ answer?: HttpsAnswer; outcome: AttemptOutcome }> {
    try {
      const answer = await this.options.https.exchange(exchange);
      const { status, headers } = answer;

      return { answer, outcome: { kind: 'answer', status, headers } };
    } catch (error) {
      if (error instanceof TimeoutSignal)
        return { outcome: { kind: 'timeout' } };
      if (error instanceof ConnectionResetError) {
        return { outcome: { kind: 'reset' } };
      }
      throw error;
    }
  }

  private log(
    exchange: HttpsExchange,
    operation: string,
    outcome: AttemptOutcome,
    attempt: number,
  ): Logger {
    return this.options.logger.child({
      host: hostOf(exchange.baseUrl),
      operation,
      attempt,
      ...(outcome.kind === 'answer'
        ? { status: outcome.status }
        : { failure: outcome.kind }),
    });
  }
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'unknown';
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
