import { z } from 'zod';

import { HakkiriError } from '../domain/hakkiri-error.js';
import type { Scalar } from './read-store.js';

/** A cursor that this store did not hand out, or that was tampered with. */
export class InvalidCursorError extends HakkiriError {
  readonly code = 'invalid_cursor';

  constructor() {
    super('The page cursor is not valid');
  }
}

const cursorSchema = z.array(
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

/**
 * A keyset cursor: the sort values of the last item of a page, then its
 * `_id`. The next page starts strictly after them, so inserts and deletes
 * between pages neither repeat nor skip what is left.
 */
export function encodeCursor(values: Scalar[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): Scalar[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw new InvalidCursorError();
  }

  const values = cursorSchema.safeParse(parsed);
  if (!values.success || values.data.length !== length) {
    throw new InvalidCursorError();
  }

  return values.data;
}
