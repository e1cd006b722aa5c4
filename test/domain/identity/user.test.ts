import { expect } from 'chai';

import { DomainError } from '../../../src/domain/domain-error.js';
import { userDecider } from '../../../src/domain/identity/user.js';
import type { UserEvent } from '../../../src/domain/identity/user-events.js';
import { passwordProblem } from '../../../src/domain/identity/username.js';
import { deciderSpecification } from '../../support/decider-specification.js';

const spec = deciderSpecification(userDecider);

const user = {
  userId: 'u-1',
  tenantId: 't-1',
  accountKey: 'k-1',
  role: 'analyst' as const,
  passwordHash: '$argon2id$…',
};

const create = {
  type: 'CreateUser' as const,
  ...user,
  username: ' Alice@Example.com ',
};

const created: UserEvent = {
  type: 'UserCreated',
  data: { ...user, username: 'alice@example.com' },
};

const disabled: UserEvent = {
  type: 'UserDisabled',
  data: { userId: 'u-1', disabledAt: '2026-12-03T10:00:00.000Z' },
};

describe('user decider', function () {
  it('creates a user with the username in lower case and trimmed', function () {
    spec.given([]).when(create).then([created]);
  });

  it('refuses a second user on the same account', function () {
    spec.given([created]).when(create).thenThrows(DomainError, 'user_exists');
  });

  it('refuses a username with blanks inside', function () {
    spec
      .given([])
      .when({ ...create, username: 'alice smith' })
      .thenThrows(DomainError, 'user_invalid');
  });

  it('changes the role, and changes nothing when it is the same', function () {
    spec
      .given([created])
      .when({ type: 'ChangeRole', role: 'admin' })
      .then([
        { type: 'UserRoleChanged', data: { userId: 'u-1', role: 'admin' } },
      ]);
    spec
      .given([created])
      .when({ type: 'ChangeRole', role: 'analyst' })
      .then([]);
  });

  it('disables once, then does nothing', function () {
    const at = new Date('2026-12-03T10:00:00Z');
    spec.given([created]).when({ type: 'DisableUser', at }).then([disabled]);
    spec.given([created, disabled]).when({ type: 'DisableUser', at }).then([]);
  });

  it('refuses a role change for a disabled user', function () {
    spec
      .given([created, disabled])
      .when({ type: 'ChangeRole', role: 'admin' })
      .thenThrows(DomainError, 'user_disabled');
  });

  it('answers not found for a user that does not exist', function () {
    spec
      .given([])
      .when({ type: 'ChangeRole', role: 'admin' })
      .thenThrows(DomainError, 'user_not_found');
  });
});

describe('password rules', function () {
  it('wants at least 12 characters, counted as code points', function () {
    expect(passwordProblem('short-pass1', 'alice')).to.match(/at least 12/);
    expect(passwordProblem('😀'.repeat(6), 'alice')).to.match(/at least 12/);
    expect(passwordProblem('twelve chars', 'alice')).to.equal(undefined);
  });

  it('refuses the username, in any case', function () {
    expect(passwordProblem('Alice.Example', 'alice.example')).to.match(
      /not be the username/,
    );
  });
});
