import { EventCodec } from '../../domain/event-codec.js';
import { sessionDecider } from '../../domain/identity/session.js';
import { sessionEvents } from '../../domain/identity/session-events.js';
import { DomainError } from '../../domain/domain-error.js';
import { CommandHandler } from '../command-handler.js';
import { sessionStreamName } from './accounts.js';
import type { IdentityDependencies, Requester } from './identity-context.js';
import { commandContext } from './identity-context.js';

export interface SessionStart {
  sessionId: string;
  tenantId: string;
  userId: string;
  expiresAt: Date;
}

/** Starts and ends sessions; each session is a stream of its own. */
export class Sessions {
  private readonly handler;

  constructor(private readonly deps: IdentityDependencies) {
    this.handler = new CommandHandler({
      decider: sessionDecider,
      codec: new EventCodec(sessionEvents),
      store: deps.store,
      logger: deps.logger,
    });
  }

  async start(
    session: SessionStart,
    requestId: string,
    at: Date,
  ): Promise<bigint | undefined> {
    const result = await this.handler.handle(
      sessionStreamName(session.sessionId),
      {
        type: 'StartSession',
        sessionId: session.sessionId,
        tenantId: session.tenantId,
        userId: session.userId,
        at,
        expiresAt: session.expiresAt,
      },
      commandContext({ tenantId: session.tenantId, requestId }),
      { expectedRevision: 'no_stream' },
    );

    return result.position;
  }

  /**
   * Logs a session out. A session of another tenant is as missing as one
   * that never existed.
   */
  async end(
    requester: Requester,
    sessionId: string,
  ): Promise<bigint | undefined> {
    const stream = sessionStreamName(sessionId);
    const read = await this.deps.store.readStream(stream, { maxCount: 1 });
    const owner = read.events[0]?.metadata.tenantId;
    if (owner !== requester.tenantId) {
      throw new DomainError('session_not_found', 'not_found', 'No session');
    }

    const result = await this.handler.handle(
      stream,
      { type: 'EndSession', at: this.deps.now?.() ?? new Date() },
      commandContext(requester),
    );

    return result.position;
  }
}
