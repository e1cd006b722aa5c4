import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import { DomainError } from '../domain-error.js';
import type { Role, UserEvent } from './user-events.js';
import { usernameSchema } from './username.js';

/**
 * The password arrives already hashed: hashing is slow I/O-bound work that
 * a pure decider must not do. Its rules are checked before hashing, with
 * `passwordProblem`.
 */
export type UserCommand =
  | {
      type: 'CreateUser';
      userId: string;
      tenantId: string;
      username: string;
      accountKey: string;
      role: Role;
      passwordHash: string;
    }
  | { type: 'ChangeRole'; role: Role }
  | { type: 'DisableUser'; at: Date };

export type UserState =
  | { status: 'absent' }
  | {
      status: 'active' | 'disabled';
      userId: string;
      tenantId: string;
      username: string;
      role: Role;
    };

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  initialState: () => ({ status: 'absent' }),
  evolve,
  decide,
};

function decide(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'CreateUser':
      return create(command, state);
    case 'ChangeRole':
      return changeRole(command.role, state);
    case 'DisableUser':
      return disable(command.at, state);
    default:
      return unreachable(command);
  }
}

function create(
  command: Extract<UserCommand, { type: 'CreateUser' }>,
  state: UserState,
): UserEvent[] {
  if (state.status !== 'absent') {
    throw new DomainError('user_exists', 'conflict', 'Username is taken');
  }
  const username = usernameSchema.safeParse(command.username);
  if (!username.success) {
    throw new DomainError(
      'user_invalid',
      'invalid',
      'Username must be letters, digits and . _ @ + -',
    );
  }

  const { type: _type, ...data } = command;
  return [{ type: 'UserCreated', data: { ...data, username: username.data } }];
}

function changeRole(role: Role, state: UserState): UserEvent[] {
  const user = enabled(state);
  if (user.role === role) return [];

  return [{ type: 'UserRoleChanged', data: { userId: user.userId, role } }];
}

/** Disabling is final; disabling again changes nothing. */
function disable(at: Date, state: UserState): UserEvent[] {
  const user = existing(state);
  if (user.status === 'disabled') return [];

  return [
    {
      type: 'UserDisabled',
      data: { userId: user.userId, disabledAt: at.toISOString() },
    },
  ];
}

function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserCreated': {
      const { passwordHash: _hash, accountKey: _key, ...user } = event.data;
      return { status: 'active', ...user };
    }
    case 'UserRoleChanged':
      return state.status === 'absent'
        ? state
        : { ...state, role: event.data.role };
    case 'UserDisabled':
      return state.status === 'absent'
        ? state
        : { ...state, status: 'disabled' };
    default:
      return unreachable(event);
  }
}

function existing(state: UserState) {
  if (state.status === 'absent') {
    throw new DomainError('user_not_found', 'not_found', 'No such user');
  }

  return state;
}

function enabled(state: UserState) {
  const user = existing(state);
  if (user.status === 'disabled') {
    throw new DomainError('user_disabled', 'conflict', 'User is disabled');
  }

  return user;
}
