import type { Document } from 'mongodb';

import { HakkiriError } from '../../domain/hakkiri-error.js';
import { decodeCursor } from '../../ports/read-cursor.js';
import type {
  FieldCondition,
  FieldValue,
  Filter,
  ReadDocument,
  Scalar,
  SortDirection,
  Update,
} from '../../ports/read-store.js';

/*
 * The port's filters, sorts, cursors and updates as MongoDB queries. Pure:
 * nothing here talks to the server.
 */

export type SortKey = [field: string, direction: SortDirection];

/** A sort field that holds an array or an object, so no cursor can hold it. */
export class UnsortableValueError extends HakkiriError {
  readonly code = 'unsortable_value';

  constructor(field: string) {
    super(`Field ${field} holds no single value to page by`);
  }
}

const operators = ['$eq', '$in', '$gt', '$gte', '$lt', '$lte'] as const;

/** A plain value means equality; a condition keeps only known operators. */
export function toMongoFilter(filter: Filter): Document {
  const query: Document = {};

  for (const [field, condition] of Object.entries(filter)) {
    const operands = isCondition(condition)
      ? knownOperands(condition)
      : { $eq: condition };
    if (Object.keys(operands).length > 0) query[field] = operands;
  }

  return query;
}

function isCondition(value: Scalar | FieldCondition): value is FieldCondition {
  return typeof value === 'object' && value !== null;
}

function knownOperands(condition: FieldCondition): Document {
  const operands: Document = {};
  for (const operator of operators) {
    if (condition[operator] !== undefined) {
      operands[operator] = condition[operator];
    }
  }

  return operands;
}

/**
 * The caller's order with `_id` ascending added last, so every document
 * has one place. A caller who sorts by `_id` already has that.
 */
export function withIdTiebreak(sort: SortKey[] = []): SortKey[] {
  return sort.some(([field]) => field === '_id') ? sort : [...sort, ['_id', 1]];
}

/** The filter, narrowed to what follows the cursor when there is one. */
export function pageQuery(
  filter: Filter,
  sort: SortKey[],
  cursor: string | undefined,
): Document {
  const query = toMongoFilter(filter);
  if (cursor === undefined) return query;

  return {
    $and: [query, afterCursor(sort, decodeCursor(cursor, sort.length))],
  };
}

/**
 * Documents strictly after the cursor's values in the sort order: ahead
 * on the first field, or level with it and ahead on the next, and so on.
 */
function afterCursor(sort: SortKey[], values: Scalar[]): Document {
  const alternatives = sort.flatMap(([field, direction], i) => {
    const ahead = aheadOf(field, direction, values[i] ?? null);
    if (ahead === undefined) return [];

    const level = sort
      .slice(0, i)
      .map(([earlier], j) => levelWith(earlier, values[j] ?? null));
    return [{ $and: [...level, ahead] }];
  });

  return { $or: alternatives };
}

/**
 * MongoDB sorts a missing or null value before every other, and a range
 * operator never matches null, so null needs its own conditions.
 */
function aheadOf(
  field: string,
  direction: SortDirection,
  value: Scalar,
): Document | undefined {
  if (direction === 1) {
    return { [field]: value === null ? { $ne: null } : { $gt: value } };
  }
  if (value === null) return undefined;

  return { $or: [{ [field]: { $lt: value } }, { [field]: null }] };
}

function levelWith(field: string, value: Scalar): Document {
  return { [field]: value === null ? null : { $eq: value } };
}

/** The values of a document that a cursor after it must hold. */
export function sortValues(doc: ReadDocument, sort: SortKey[]): Scalar[] {
  return sort.map(([field]) => {
    const value = valueAt(doc, field) ?? null;
    if (typeof value === 'object' && value !== null) {
      throw new UnsortableValueError(field);
    }

    return value;
  });
}

function valueAt(doc: ReadDocument, path: string): FieldValue | undefined {
  let node: FieldValue | undefined = doc as FieldValue;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      return undefined;
    }
    node = node[key];
  }

  return node;
}

/** Matches the document unless it has seen this position or a later one. */
export function positionGuard(id: string, position?: bigint): Document {
  return position === undefined
    ? { _id: id }
    : { _id: id, _position: { $not: { $gte: position } } };
}

/**
 * The port's update as MongoDB update operators. Every applied update
 * counts one more version, and a positioned one remembers its position
 * (a bigint, which the driver stores as a 64-bit integer).
 */
export function toMongoUpdate(update: Update, position?: bigint): Document {
  const $set: Document = { ...update.$set };
  if (position !== undefined) $set['_position'] = position;

  const operations: Document = {
    $set,
    $inc: { ...update.$inc, _version: 1 },
    $max: { ...update.$max },
    $min: { ...update.$min },
  };

  return Object.fromEntries(
    Object.entries(operations).filter(
      ([, fields]) => Object.keys(fields as Document).length > 0,
    ),
  );
}
