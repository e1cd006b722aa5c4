import { DomainError } from '../../../src/domain/domain-error.js';
import { sessionDecider } from '../../../src/domain/identity/session.js';
import type { SessionEvent } from '../../../src/domain/identity/session-events.js';
import { deciderSpecification } from '../../support/decider-specification.js';

const spec = deciderSpecification(sessionDecider);

const at = new Date('2026-12-03T10:00:00Z');
const expiresAt = new Date('2026-12-03T10:15:00Z');

const started: SessionEvent = {
  type: 'SessionStarted',
  data: {
    sessionId: 's-1',
    tenantId: 't-1',
    userId: 'u-1',
    startedAt: at.toISOString(),
    expiresAt: expiresAt.toISOString(),
  },
};

const start = {
  type: 'StartSession' as const,
  sessionId: 's-1',
  tenantId: 't-1',
  userId: 'u-1',
  at,
  expiresAt,
};

describe('session decider', function () {
  it('starts a session once', function () {
    spec.given([]).when(start).then([started]);
    spec.given([started]).when(start).thenThrows(DomainError, 'session_exists');
  });

  it('ends a session by logout, and a second logout changes nothing', function () {
    const ended: SessionEvent = {
      type: 'SessionEnded',
      data: { sessionId: 's-1', reason: 'logout', endedAt: at.toISOString() },
    };

    spec.given([started]).when({ type: 'EndSession', at }).then([ended]);
    spec.given([started, ended]).when({ type: 'EndSession', at }).then([]);
  });

  it('cannot end a session that never started', function () {
    spec
      .given([])
      .when({ type: 'EndSession', at })
      .thenThrows(DomainError, 'session_not_found');
  });
});
