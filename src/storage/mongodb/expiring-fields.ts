import type { Document } from 'mongodb';

import type { FieldValue, ReadDocument } from '../../ports/read-store.js';

/**
 * Where a document keeps, as a BSON date, the instant of its field under
 * an expiring index. MongoDB's TTL indexes act on dates only, while the
 * port's documents hold instants as ISO strings; the field itself stays
 * a string, so filters, sorts and cursors on it work as on any other,
 * and readers never see this one.
 */
export const expiryField = '_expiry';

const isoInstant =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant an ISO 8601 string names; undefined for any other value. */
export function instantOf(value: FieldValue | undefined): Date | undefined {
  if (typeof value !== 'string' || !isoInstant.test(value)) return undefined;
  const ms = Date.parse(value);

  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * The fields of each collection that carry an expiring index, as this
 * process declared them. A document written before its collection's
 * index was declared carries no date, and waits for its owner's sweep.
 */
export class ExpiringFields {
  private readonly fields = new Map<string, string>();

  declare(collection: string, field: string): void {
    this.fields.set(collection, field);
  }

  /** The hidden date of a document written whole, if it gets one. */
  dateOf(collection: string, doc: ReadDocument): Date | undefined {
    const field = this.fields.get(collection);

    return field === undefined ? undefined : instantOf(doc[field]);
  }

  /**
   * What an update must add so that the hidden date follows the field:
   * set with it, or unset when the field is set to something else.
   */
  updateOf(collection: string, $set: Record<string, FieldValue> = {}) {
    const field = this.fields.get(collection);
    if (field === undefined || !(field in $set)) return {};

    const date = instantOf($set[field]);
    return date === undefined
      ? { $unset: { [expiryField]: '' } as Document }
      : { $set: { [expiryField]: date } as Document };
  }
}
