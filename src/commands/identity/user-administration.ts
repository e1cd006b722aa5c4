import { randomUUID } from 'node:crypto';

import { DomainError } from '../../domain/domain-error.js';
import { EventCodec } from '../../domain/event-codec.js';
import { userDecider } from '../../domain/identity/user.js';
import type { UserCommand } from '../../domain/identity/user.js';
import type { Role } from '../../domain/identity/user-events.js';
import { userEvents } from '../../domain/identity/user-events.js';
import { passwordProblem } from '../../domain/identity/username.js';
import { WrongExpectedRevisionError } from '../../ports/errors.js';
import { CommandHandler } from '../command-handler.js';
import type { Account } from './accounts.js';
import { accountKey, userStreamName } from './accounts.js';
import { commandContext } from './identity-context.js';
import type { IdentityDependencies, Requester } from './identity-context.js';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
}

/** What a change returns: where the read models will show it. */
export interface Change {
  userId: string;
  position: bigint | undefined;
}

/** An admin's work on the users of their own tenant. */
export class UserAdministration {
  private readonly handler;

  constructor(private readonly deps: IdentityDependencies) {
    this.handler = new CommandHandler({
      decider: userDecider,
      codec: new EventCodec(userEvents),
      store: deps.store,
      logger: deps.logger,
    });
  }

  /**
   * Throws DomainError `user_exists` for a taken username (in any case)
   * and `password_invalid` for a password that breaks the rules.
   */
  async create(requester: Requester, user: NewUser): Promise<Change> {
    const problem = passwordProblem(user.password, user.username);
    if (problem) {
      throw new DomainError(
        'password_invalid',
        'invalid',
        `Password ${problem}`,
      );
    }

    const { tenantId } = requester;
    const key = await accountKey(this.deps.blindIndex, tenantId, user.username);
    const userId = randomUUID();
    const passwordHash = await this.deps.hasher.hash(user.password);

    const stream = userStreamName(tenantId, key);
    const result = await this.handleCreate(stream, requester, {
      type: 'CreateUser',
      userId,
      tenantId,
      username: user.username,
      accountKey: key,
      role: user.role,
      passwordHash,
    });

    return { userId, position: result.position };
  }

  async changeRole(
    requester: Requester,
    userId: string,
    role: Role,
  ): Promise<Change> {
    const account = await this.account(requester, userId);

    const result = await this.handle(streamOf(account), requester, {
      type: 'ChangeRole',
      role,
    });

    return { userId, position: result.position };
  }

  /**
   * Disabling ends every session of the user at once: authentication
   * checks the user's state on each request.
   */
  async disable(requester: Requester, userId: string): Promise<Change> {
    const account = await this.account(requester, userId);
    const now = this.deps.now?.() ?? new Date();

    const result = await this.handle(streamOf(account), requester, {
      type: 'DisableUser',
      at: now,
    });

    return { userId, position: result.position };
  }

  /** Another tenant's user is as missing as one that never existed. */
  private async account(
    requester: Requester,
    userId: string,
  ): Promise<Account> {
    const account = await this.deps.directory.accountById(
      requester.tenantId,
      userId,
    );
    if (!account) {
      throw new DomainError('user_not_found', 'not_found', 'No such user');
    }

    return account;
  }

  private handle(
    streamName: string,
    requester: Requester,
    command: UserCommand,
  ) {
    return this.handler.handle(streamName, command, commandContext(requester));
  }

  /** Two admins creating one username at once: the second meets a stream. */
  private async handleCreate(
    streamName: string,
    requester: Requester,
    command: UserCommand,
  ) {
    try {
      return await this.handler.handle(
        streamName,
        command,
        commandContext(requester),
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      throw new DomainError('user_exists', 'conflict', 'Username is taken');
    }
  }
}

function streamOf(account: Account): string {
  return userStreamName(account.tenantId, account.accountKey);
}
