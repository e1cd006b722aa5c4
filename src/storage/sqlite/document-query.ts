import { HakkiriError } from '../../domain/hakkiri-error.js';
import type {
  FieldCondition,
  Filter,
  Scalar,
  SortDirection,
} from '../../ports/read-store.js';

/** A field name that cannot be turned into a JSON path safely. */
export class InvalidFieldError extends HakkiriError {
  readonly code = 'invalid_field';

  constructor(field: string) {
    super(`Not a usable field name: ${JSON.stringify(field)}`);
  }
}

export interface SqlPart {
  sql: string;
  params: SqlValue[];
}

type SqlValue = string | number | bigint | null;

const fieldPattern = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/**
 * The SQL for a document field. The path is written into the SQL, not
 * bound, because SQLite only uses an expression index when the query
 * repeats the indexed expression exactly; the pattern keeps that safe.
 */
export function fieldExpression(field: string): string {
  if (field === '_id') return 'id';
  if (!fieldPattern.test(field)) throw new InvalidFieldError(field);

  return `json_extract(doc, '$.${field}')`;
}

/** A top-level field as JSON text, or NULL where the document lacks it. */
export function fieldJson(field: string): string {
  if (!fieldPattern.test(field) || field.includes('.')) {
    throw new InvalidFieldError(field);
  }

  return `doc -> '$.${field}'`;
}

/** JSON true and false come out of json_extract as 1 and 0. */
function toSql(value: Scalar): SqlValue {
  return typeof value === 'boolean' ? Number(value) : value;
}

const comparisons: Record<Exclude<keyof FieldCondition, '$in'>, string> = {
  $eq: 'IS',
  $gt: '>',
  $gte: '>=',
  $lt: '<',
  $lte: '<=',
};

export function whereClause(filter: Filter): SqlPart {
  const clauses: string[] = [];
  const params: SqlValue[] = [];

  for (const [field, condition] of Object.entries(filter)) {
    const expression = fieldExpression(field);
    const conditions: FieldCondition = isCondition(condition)
      ? condition
      : { $eq: condition };

    for (const [operator, operand] of Object.entries(conditions)) {
      if (operator === '$in') {
        const values = operand as Scalar[];
        clauses.push(
          values.length === 0
            ? '0'
            : `${expression} IN (${values.map(() => '?').join(', ')})`,
        );
        params.push(...values.map(toSql));
        continue;
      }
      const sqlOperator = comparisons[operator as keyof typeof comparisons];
      if (!sqlOperator) throw new InvalidFieldError(`${field}.${operator}`);
      clauses.push(`${expression} ${sqlOperator} ?`);
      params.push(toSql(operand as Scalar));
    }
  }

  return { sql: clauses.length === 0 ? '1' : clauses.join(' AND '), params };
}

function isCondition(value: Scalar | FieldCondition): value is FieldCondition {
  return typeof value === 'object' && value !== null;
}

export type SortKey = [field: string, direction: SortDirection];

/** The caller's order, then `_id`, so every row has one place. */
export function withIdLast(sort: SortKey[] = []): SortKey[] {
  const fields = sort.filter(([field]) => field !== '_id');
  const id = sort.find(([field]) => field === '_id');

  return [...fields, id ?? ['_id', 1]];
}

export function orderByClause(sort: SortKey[]): string {
  return sort
    .map(
      ([field, direction]) =>
        `${fieldExpression(field)} ${direction === 1 ? 'ASC' : 'DESC'}`,
    )
    .join(', ');
}

/**
 * Rows strictly after the cursor in the sort order: ahead on the first
 * field, or equal on it and ahead on the next, and so on.
 */
export function afterCursorClause(sort: SortKey[], values: Scalar[]): SqlPart {
  const alternatives: string[] = [];
  const params: SqlValue[] = [];

  sort.forEach(([field, direction], i) => {
    const equalBefore = sort
      .slice(0, i)
      .map(([earlier]) => `${fieldExpression(earlier)} IS ?`);
    const ahead = `${fieldExpression(field)} ${direction === 1 ? '>' : '<'} ?`;

    alternatives.push(`(${[...equalBefore, ahead].join(' AND ')})`);
    params.push(...values.slice(0, i + 1).map(toSql));
  });

  return { sql: `(${alternatives.join(' OR ')})`, params };
}
