import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import { DomainError } from '../domain-error.js';
import type { SessionEvent } from './session-events.js';

export type SessionCommand =
  | {
      type: 'StartSession';
      sessionId: string;
      tenantId: string;
      userId: string;
      at: Date;
      expiresAt: Date;
    }
  | { type: 'EndSession'; at: Date };

export type SessionState =
  | { status: 'absent' }
  | {
      status: 'active' | 'ended';
      sessionId: string;
      tenantId: string;
      userId: string;
    };

export const sessionDecider: Decider<
  SessionState,
  SessionCommand,
  SessionEvent
> = {
  initialState: () => ({ status: 'absent' }),
  evolve,
  decide,
};

function decide(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'StartSession':
      return start(command, state);
    case 'EndSession':
      return end(command.at, state);
    default:
      return unreachable(command);
  }
}

function start(
  command: Extract<SessionCommand, { type: 'StartSession' }>,
  state: SessionState,
): SessionEvent[] {
  if (state.status !== 'absent') {
    throw new DomainError('session_exists', 'conflict', 'Session exists');
  }

  return [
    {
      type: 'SessionStarted',
      data: {
        sessionId: command.sessionId,
        tenantId: command.tenantId,
        userId: command.userId,
        startedAt: command.at.toISOString(),
        expiresAt: command.expiresAt.toISOString(),
      },
    },
  ];
}

/** Logging out twice is not an error: the session is ended either way. */
function end(at: Date, state: SessionState): SessionEvent[] {
  if (state.status === 'absent') {
    throw new DomainError('session_not_found', 'not_found', 'No session');
  }
  if (state.status === 'ended') return [];

  const ended = { reason: 'logout' as const, endedAt: at.toISOString() };
  return [
    { type: 'SessionEnded', data: { sessionId: state.sessionId, ...ended } },
  ];
}

function evolve(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionStarted':
      return {
        status: 'active',
        sessionId: event.data.sessionId,
        tenantId: event.data.tenantId,
        userId: event.data.userId,
      };
    case 'SessionEnded':
      return state.status === 'absent' ? state : { ...state, status: 'ended' };
    default:
      return unreachable(event);
  }
}
