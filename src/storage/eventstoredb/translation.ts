import {
  ANY,
  CancelledError,
  DeadlineExceededError,
  NO_STREAM,
  NotLeaderError,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
} from '@eventstore/db-client';

import { HakkiriError } from '../../domain/hakkiri-error.js';
import {
  InvalidAppendError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../ports/errors.js';
import type {
  ActualRevision,
  ExpectedRevision,
  StreamReadResult,
} from '../../ports/event-store.js';

/*
 * The one place where EventStoreDB's revisions and errors meet ours. The
 * rest of the adapter speaks only the port's language.
 */

export function toClientRevision(
  expected: ExpectedRevision,
): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

function toActualRevision(
  actual: WrongExpectedVersionError['actualVersion'],
): ActualRevision {
  return actual === NO_STREAM ? 'no_stream' : actual;
}

/** What a failed append means for the caller. */
export function translateAppendError(
  error: unknown,
  streamName: string,
  expected: ExpectedRevision,
): HakkiriError {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      streamName,
      expected,
      toActualRevision(error.actualVersion),
    );
  }
  if (error instanceof StreamDeletedError) {
    return new InvalidAppendError(`Stream ${streamName} was deleted`, {
      cause: error,
    });
  }
  if (grpcCode(error) === invalidArgument) {
    return new InvalidAppendError(
      `EventStoreDB refused the append to ${streamName}`,
      { cause: error },
    );
  }

  return translateStoreError(error);
}

/**
 * A read that failed because the stream is missing is an answer, not an
 * error: EventStoreDB reports missing and deleted streams this way. Any
 * other failure is translated and thrown.
 */
export function streamReadFailure(error: unknown): StreamReadResult {
  if (
    error instanceof StreamNotFoundError ||
    error instanceof StreamDeletedError
  ) {
    return { streamExists: false, events: [] };
  }

  throw translateStoreError(error);
}

/** Anything the client throws, as one of our typed errors. */
export function translateStoreError(error: unknown): HakkiriError {
  if (error instanceof HakkiriError) return error;

  const reason = isTransient(error)
    ? 'EventStoreDB is unavailable'
    : 'EventStoreDB failed unexpectedly';

  return new StoreUnavailableError(reason, { cause: error });
}

/**
 * Failures that end once the server is back: it went away, it is busy or
 * not the leader, or it dropped a long call.
 */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    grpcCode(error) === unavailable
  );
}

/** A short, data-free name for a failure, fit for a log line. */
export function failureKind(error: unknown): string {
  if (error === undefined) return 'ended';
  if (error instanceof Error && 'type' in error) return String(error.type);

  const code = grpcCode(error);
  return code === undefined ? 'unknown' : `grpc-${code}`;
}

/**
 * A connection string the client could not parse. Its error holds the whole
 * string, password included, so only where and what it expected survive.
 */
export function translateConnectionStringError(error: unknown): HakkiriError {
  const { location, expected } = (error ?? {}) as {
    location?: unknown;
    expected?: unknown;
  };
  const at = Array.isArray(location) ? ` at character ${location[0]}` : '';
  const wanted = typeof expected === 'string' ? `; expected ${expected}` : '';

  return new StoreUnavailableError(
    `The EventStoreDB connection string is not valid${at}${wanted}`,
  );
}

// gRPC status codes, as numbers: the client exposes them only on errors.
const invalidArgument = 3;
const unavailable = 14;

function grpcCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) {
    return undefined;
  }

  return typeof error.code === 'number' ? error.code : undefined;
}
