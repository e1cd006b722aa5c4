import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

import { HakkiriError } from '../../domain/hakkiri-error.js';
import {
  StoreUnavailableError,
  UniqueIndexViolationError,
} from '../../ports/errors.js';

/*
 * The one place where the MongoDB driver's errors meet ours. The rest of
 * the adapter asks these functions what a failure means.
 */

const duplicateKey = 11000;
const internalError = 1;
const notImplemented = 238;

/** A write refused because `_id` or a unique index already holds its key. */
export function isUniqueIndexClash(error: unknown): boolean {
  if (!(error instanceof MongoServerError)) return false;

  return error.code === duplicateKey || isFerretDbUniqueFailure(error);
}

/**
 * FerretDB 1.x on SQLite answers an update that breaks a unique index with
 * an internal error carrying SQLite's message, not with E11000.
 */
function isFerretDbUniqueFailure(error: MongoServerError): boolean {
  return (
    error.code === internalError &&
    error.message.includes('UNIQUE constraint failed')
  );
}

/**
 * Runs a write whose unique-index clash is an expected outcome: the clash
 * goes to `onClash`, which answers it or throws. Other failures pass on.
 */
export async function onUniqueIndexClash<T>(
  write: Promise<T>,
  onClash: (error: unknown) => Promise<T> | T,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueIndexClash(error)) return onClash(error);
    throw error;
  }
}

/**
 * Runs the creation of a TTL index, handing a refusal to `onRefusal`.
 * FerretDB 1.24 answers NotImplemented ("Index option
 * \"expireAfterSeconds\" is not implemented yet").
 */
export async function onTtlRefusal<T>(
  create: Promise<T>,
  onRefusal: () => T,
): Promise<T> {
  try {
    return await create;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === notImplemented) {
      return onRefusal();
    }
    throw error;
  }
}

/** Anything the driver throws, as one of our typed errors. */
export function translateStoreError(
  error: unknown,
  collection: string,
): HakkiriError {
  if (error instanceof HakkiriError) return error;
  if (isUniqueIndexClash(error)) {
    return new UniqueIndexViolationError(collection, { cause: error });
  }

  const reason = isTransient(error)
    ? 'MongoDB is unavailable'
    : 'MongoDB failed unexpectedly';

  return new StoreUnavailableError(reason, { cause: error });
}

/** Failures that end once the server can be reached again. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError
  );
}

/** A short, data-free name for a failure, fit for a log line. */
export function failureKind(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * A connection string the driver could not parse. Some of its messages
 * quote the user name or option values, so only the kind survives.
 */
export function translateConnectionStringError(error: unknown): HakkiriError {
  return new StoreUnavailableError(
    `The MongoDB connection string is not valid (${failureKind(error)})`,
  );
}
