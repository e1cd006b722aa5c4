import type { Decider } from '../domain/decider.js';
import type { DomainEvent, EventCodec } from '../domain/event-codec.js';
import { WrongExpectedRevisionError } from '../ports/errors.js';
import type {
  ActualRevision,
  EventData,
  EventStore,
  ExpectedRevision,
  NewEvent,
} from '../ports/event-store.js';
import type { Logger } from '../ports/logger.js';
import { newEventId } from '../ports/event-id.js';

/** Who asked, and why: copied into every event's metadata. */
export interface CommandContext {
  tenantId: string;
  correlationId: string;
  causationId: string;
}

export interface HandleOptions {
  /**
   * The revision the caller saw, for commands that must not apply to a
   * stream that moved since. With it, a conflict is the answer; without
   * it, the handler reloads and decides again.
   */
  expectedRevision?: ExpectedRevision;
}

export interface HandleResult<State, Event> {
  state: State;
  revision: ActualRevision;
  events: Event[];
  /**
   * The global position of the last event appended, absent when the
   * command changed nothing. Read models that reach it show the change.
   */
  position?: bigint;
}

export interface CommandHandlerOptions<
  State,
  Command,
  Event extends DomainEvent,
> {
  decider: Decider<State, Command, Event>;
  codec: EventCodec<Event>;
  store: EventStore;
  logger: Logger;
  /** How many times a command may meet a concurrent writer and retry. */
  maxAttempts?: number;
  /**
   * Names each new event. Facts that several sources report (sync and
   * webhooks) get ids derived from what they are, so the store itself
   * can tell a repeat. A new time-ordered id by default.
   */
  eventId?: (event: Event, streamName: string) => string;
}

/**
 * Loads a stream, folds it, decides, and appends with the revision it
 * read, so a concurrent writer causes a conflict rather than a lost update.
 */
export class CommandHandler<State, Command, Event extends DomainEvent> {
  private readonly maxAttempts: number;

  constructor(
    private readonly options: CommandHandlerOptions<State, Command, Event>,
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  async handle(
    streamName: string,
    command: Command,
    context: CommandContext,
    { expectedRevision }: HandleOptions = {},
  ): Promise<HandleResult<State, Event>> {
    const attempts = expectedRevision === undefined ? this.maxAttempts : 1;

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(
          streamName,
          command,
          context,
          expectedRevision,
        );
      } catch (error) {
        const retry =
          error instanceof WrongExpectedRevisionError && attempt < attempts;
        if (!retry) throw error;

        this.options.logger.debug(
          { streamName, attempt },
          'concurrent write, deciding again',
        );
      }
    }
  }

  /** The state the stream folds to now, for commands that need it first. */
  async current(streamName: string): Promise<State> {
    return (await this.load(streamName)).state;
  }

  private async attempt(
    streamName: string,
    command: Command,
    context: CommandContext,
    expectedRevision: ExpectedRevision | undefined,
  ): Promise<HandleResult<State, Event>> {
    const { decider, store } = this.options;
    const { state, revision } = await this.load(streamName);

    const events = decider.decide(command, state);
    if (events.length === 0) return { state, revision, events };

    const eventId = this.options.eventId;
    const result = await store.append(
      streamName,
      events.map((event) => ({
        ...toNewEvent(event, context, this.options.codec),
        ...(eventId ? { id: eventId(event, streamName) } : {}),
      })),
      expectedRevision ?? revision,
    );
    const next = events.reduce(decider.evolve, state);

    return {
      state: next,
      revision: result.nextRevision,
      events,
      position: result.position,
    };
  }

  private async load(
    streamName: string,
  ): Promise<{ state: State; revision: ActualRevision }> {
    const { decider, codec, store, logger } = this.options;
    const read = await store.readStream(streamName);
    if (!read.streamExists) {
      return { state: decider.initialState(), revision: 'no_stream' };
    }

    let state = decider.initialState();
    for (const recorded of read.events) {
      const decoded = codec.decode(recorded);
      if (decoded.kind === 'unknown-type') {
        logger.warn(
          { streamName, revision: recorded.revision, type: decoded.type },
          'skipping an event of unknown type',
        );
        continue;
      }
      state = decider.evolve(state, decoded.event);
    }
    const last = read.events[read.events.length - 1];

    return { state, revision: last?.revision ?? 'no_stream' };
  }
}

/** An event of ours, with who asked and its schema version, for the store. */
export function toNewEvent<Event extends DomainEvent>(
  event: Event,
  context: CommandContext,
  codec: EventCodec<Event>,
): NewEvent {
  return {
    id: newEventId(),
    type: event.type,
    data: event.data as EventData,
    metadata: { ...context, schemaVersion: codec.schemaVersion(event.type) },
  };
}
