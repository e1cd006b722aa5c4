import { z } from 'zod';

import { HakkiriError } from '../../domain/hakkiri-error.js';

/** A cursor that no search of this client handed out. */
export class InvalidSearchCursorError extends HakkiriError {
  readonly code = 'invalid_search_cursor';

  constructor() {
    super('The search cursor is not one this client gave');
  }
}

const pageSize = z.number().int().positive();

/** Jira Cloud pages by its own token; the page size may have shrunk. */
const cloudCursorSchema = z.object({
  kind: z.literal('cloud'),
  token: z.string().min(1),
  pageSize,
});

/**
 * Jira Server pages by offset. The offset is where to look; the last
 * `created` returned and the ids returned with it are what the next page
 * is checked against (see server-paging.ts).
 */
const serverCursorSchema = z.object({
  kind: z.literal('server'),
  startAt: z.number().int().nonnegative(),
  pageSize,
  /** Whether this offset asks again for issues already returned. */
  overlapping: z.boolean(),
  lastCreated: z.string().optional(),
  idsAtLastCreated: z.array(z.string()),
});

const cursorSchema = z.discriminatedUnion('kind', [
  cloudCursorSchema,
  serverCursorSchema,
]);

export type CloudCursor = z.infer<typeof cloudCursorSchema>;

export type ServerCursor = z.infer<typeof serverCursorSchema>;

export function encodeSearchCursor(cursor: CloudCursor | ServerCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeSearchCursor<Kind extends 'cloud' | 'server'>(
  encoded: string,
  kind: Kind,
): Extract<CloudCursor | ServerCursor, { kind: Kind }> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidSearchCursorError();
  }

  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.kind !== kind) {
    throw new InvalidSearchCursorError();
  }

  return parsed.data as Extract<CloudCursor | ServerCursor, { kind: Kind }>;
}
