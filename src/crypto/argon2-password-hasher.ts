import { hash, verify } from '@node-rs/argon2';

import { HakkiriError } from '../domain/hakkiri-error.js';
import type { PasswordHasher } from '../ports/password-hasher.js';

/**
 * `Algorithm.Argon2id` of the binding, which is a const enum that isolated
 * modules cannot import.
 */
const argon2id = 2;

/** Too many hashes are already waiting; the caller should come back later. */
export class HasherBusyError extends HakkiriError {
  readonly code = 'hasher_busy';

  constructor(readonly retryAfterSeconds: number) {
    super('Too many password checks are waiting');
  }
}

export interface Argon2Settings {
  /** KiB. OWASP's minimum for argon2id is 19 MiB with t=2, p=1. */
  memoryCost: number;
  timeCost: number;
  /** Hashes computed at once; the rest wait their turn. */
  concurrency: number;
  /** Hashes allowed to wait; more are refused with HasherBusyError. */
  maxWaiting: number;
}

export const owaspMinimum: Argon2Settings = {
  memoryCost: 19 * 1024,
  timeCost: 2,
  concurrency: 2,
  maxWaiting: 64,
};

/**
 * argon2id through a native binding that computes on libuv's thread pool.
 * The pool is shared with file and DNS work, so a flood of logins must not
 * fill it: at most `concurrency` hashes run, and a bounded queue waits.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly settings: Argon2Settings = owaspMinimum) {}

  hash(password: string): Promise<string> {
    return this.bounded(() =>
      hash(password, {
        algorithm: argon2id,
        memoryCost: this.settings.memoryCost,
        timeCost: this.settings.timeCost,
        parallelism: 1,
      }),
    );
  }

  verify(passwordHash: string, password: string): Promise<boolean> {
    return this.bounded(async () => {
      try {
        return await verify(passwordHash, password);
      } catch {
        // A hash the library cannot parse verifies nothing.
        return false;
      }
    });
  }

  private async bounded<Result>(work: () => Promise<Result>): Promise<Result> {
    await this.turn();

    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private async turn(): Promise<void> {
    if (this.running < this.settings.concurrency) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.settings.maxWaiting) {
      throw new HasherBusyError(1);
    }

    // The finishing hash hands its slot over, so `running` stays as it is.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
