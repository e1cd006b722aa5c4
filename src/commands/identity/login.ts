import { randomBytes, randomUUID } from 'node:crypto';

import { EventCodec } from '../../domain/event-codec.js';
import { lockedUntil, attemptsToRead } from '../../domain/identity/lockout.js';
import type { LockoutPolicy } from '../../domain/identity/lockout.js';
import { defaultLockoutPolicy } from '../../domain/identity/lockout.js';
import { loginAttemptEvents } from '../../domain/identity/login-attempt-events.js';
import type { LoginAttemptEvent } from '../../domain/identity/login-attempt-events.js';
import type { Role } from '../../domain/identity/user-events.js';
import { toNewEvent } from '../command-handler.js';
import type { Account } from './accounts.js';
import { accountKey, loginStreamName, slugIndex } from './accounts.js';
import type { IdentityDependencies } from './identity-context.js';
import { commandContext } from './identity-context.js';
import { Sessions } from './sessions.js';

export interface Credentials {
  tenant: string;
  username: string;
  password: string;
  /** The caller's address, kept in the audit trail. */
  address?: string;
  requestId: string;
}

export interface StartedSession {
  sessionId: string;
  tenantId: string;
  userId: string;
  username: string;
  role: Role;
  expiresAt: Date;
}

/**
 * A login's outcome. Refusals carry no reason: the caller must not learn
 * whether the tenant or the user exists.
 */
export type LoginOutcome =
  | { kind: 'started'; session: StartedSession; position: bigint | undefined }
  | { kind: 'refused' }
  | { kind: 'locked'; until: Date };

export interface LoginOptions {
  sessionTtlMs: number;
  lockout?: LockoutPolicy;
}

type FailureCause = Extract<
  LoginAttemptEvent,
  { type: 'LoginFailed' }
>['data']['cause'];

const attemptCodec = new EventCodec<LoginAttemptEvent>(loginAttemptEvents);

/**
 * Checks credentials and starts sessions. Every outcome costs one password
 * verification, whether or not the account exists, so the time taken
 * tells nothing either. Every attempt on an existing tenant is recorded.
 */
export class Login {
  private readonly sessions: Sessions;
  private decoyHash: Promise<string> | undefined;

  constructor(
    private readonly deps: IdentityDependencies,
    private readonly options: LoginOptions,
  ) {
    this.sessions = new Sessions(deps);
  }

  async attempt(credentials: Credentials): Promise<LoginOutcome> {
    const { directory, blindIndex } = this.deps;
    const tenantId = await directory.tenantIdBySlugIndex(
      await slugIndex(blindIndex, credentials.tenant),
    );
    if (tenantId === undefined) {
      await this.verify(undefined, credentials.password);
      return { kind: 'refused' };
    }

    const key = await accountKey(blindIndex, tenantId, credentials.username);
    const attempt = new AttemptLog(this.deps, tenantId, key, credentials);
    const now = this.now();

    const until = lockedUntil(await attempt.recent(), now, this.lockout());
    if (until) {
      await attempt.failed('locked', now, until);
      return { kind: 'locked', until };
    }

    const account = await directory.accountByKey(tenantId, key);
    const cause = await this.check(account, credentials.password);
    if (cause || !account) {
      await attempt.failed(cause ?? 'unknown_user', now);
      return { kind: 'refused' };
    }

    return this.start(account, attempt, now);
  }

  private async check(
    account: Account | undefined,
    password: string,
  ): Promise<FailureCause | undefined> {
    const matches = await this.verify(account?.passwordHash, password);

    if (!account) return 'unknown_user';
    if (!matches) return 'wrong_password';
    if (account.status === 'disabled') return 'user_disabled';
    return undefined;
  }

  private async start(
    account: Account,
    attempt: AttemptLog,
    now: Date,
  ): Promise<LoginOutcome> {
    const session: StartedSession = {
      sessionId: randomUUID(),
      tenantId: account.tenantId,
      userId: account.userId,
      username: account.username,
      role: account.role,
      expiresAt: new Date(now.getTime() + this.options.sessionTtlMs),
    };

    const position = await this.sessions.start(session, attempt.requestId, now);
    await attempt.succeeded(session.sessionId, now);

    return { kind: 'started', session, position };
  }

  /** Without a stored hash, a decoy hash takes the same time to refuse. */
  private verify(hash: string | undefined, password: string) {
    const { hasher } = this.deps;
    this.decoyHash ??= hasher.hash(randomBytes(24).toString('base64'));

    return hash === undefined
      ? this.decoyHash.then((decoy) => hasher.verify(decoy, password))
      : hasher.verify(hash, password);
  }

  private lockout(): LockoutPolicy {
    return this.options.lockout ?? defaultLockoutPolicy;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** The recorded attempts of one account name in one tenant. */
class AttemptLog {
  private readonly streamName: string;

  constructor(
    private readonly deps: IdentityDependencies,
    private readonly tenantId: string,
    key: string,
    private readonly credentials: Credentials,
  ) {
    this.streamName = loginStreamName(tenantId, key);
  }

  get requestId(): string {
    return this.credentials.requestId;
  }

  async recent(): Promise<LoginAttemptEvent[]> {
    const read = await this.deps.store.readStream(this.streamName, {
      direction: 'backwards',
      maxCount: attemptsToRead,
    });

    return read.events.flatMap((recorded) => {
      const decoded = attemptCodec.decode(recorded);
      return decoded.kind === 'event' ? [decoded.event] : [];
    });
  }

  failed(cause: FailureCause, at: Date, lockEnd?: Date): Promise<void> {
    const { address } = this.credentials;

    return this.append({
      type: 'LoginFailed',
      data: {
        cause,
        at: at.toISOString(),
        ...(address === undefined ? {} : { address }),
        ...(lockEnd === undefined
          ? {}
          : { lockedUntil: lockEnd.toISOString() }),
      },
    });
  }

  succeeded(sessionId: string, at: Date): Promise<void> {
    return this.append({
      type: 'LoginSucceeded',
      data: { sessionId, at: at.toISOString() },
    });
  }

  private async append(event: LoginAttemptEvent): Promise<void> {
    const context = commandContext({
      tenantId: this.tenantId,
      requestId: this.credentials.requestId,
    });

    await this.deps.store.append(
      this.streamName,
      [toNewEvent(event, context, attemptCodec)],
      'any',
    );
  }
}
