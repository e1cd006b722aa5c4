import { HakkiriError } from '../domain/hakkiri-error.js';
import type { ActualRevision, ExpectedRevision } from './event-store.js';

function describeRevision(revision: ExpectedRevision): string {
  return typeof revision === 'bigint' ? `revision ${revision}` : revision;
}

/** Another writer moved the stream since it was read. */
export class WrongExpectedRevisionError extends HakkiriError {
  readonly code = 'concurrency_conflict';

  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(
      `Stream ${streamName} was expected at ${describeRevision(expected)} ` +
        `but is at ${describeRevision(actual)}`,
    );
  }
}

/** The store could not be reached or failed in a way we do not expect. */
export class StoreUnavailableError extends HakkiriError {
  readonly code = 'store_unavailable';
}

/** An argument the store cannot accept, such as an empty stream name. */
export class InvalidAppendError extends HakkiriError {
  readonly code = 'invalid_append';
}

/** A stored event that cannot be read back as JSON with full metadata. */
export class CorruptEventError extends HakkiriError {
  readonly code = 'corrupt_event';

  constructor(
    readonly streamName: string,
    readonly revision: bigint,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Event ${revision} of stream ${streamName} is corrupt: ${reason}`,
      options,
    );
  }
}

/** A write that would give two documents the same unique-index key. */
export class UniqueIndexViolationError extends HakkiriError {
  readonly code = 'unique_index_violation';

  constructor(
    readonly collection: string,
    options?: { cause?: unknown },
  ) {
    super(`A unique index of ${collection} refused the write`, options);
  }
}

/** An index the read store cannot make as declared. */
export class InvalidIndexError extends HakkiriError {
  readonly code = 'invalid_index';

  constructor(readonly index: string) {
    super(
      `Index ${index} cannot expire documents: an expiring index has one ` +
        'top-level field, ascending, not unique, and a whole number of ' +
        'seconds of 0 or more',
    );
  }
}

/**
 * The tenant was deleted and its keys with it: its data can no longer be
 * read by anyone. Stores that encrypt answer this for every read of it.
 */
export class TenantKeysDeletedError extends HakkiriError {
  readonly code = 'tenant_keys_deleted';

  constructor(readonly tenantId: string) {
    super(`The keys of tenant ${tenantId} were deleted`);
  }
}
