import { parse as parseContentType } from 'content-type';
import type Koa from 'koa';
import getRawBody from 'raw-body';

import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from './api-errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the bytes of a JSON body of at most `limitBytes`, unparsed, so a
 * signature can be checked over them first. The media type is checked
 * before a byte is read, and a declared length over the limit is refused
 * without reading.
 */
export async function readJsonBytes(
  ctx: Koa.Context,
  limitBytes: number,
): Promise<Buffer> {
  checkMediaType(ctx);

  return readRaw(ctx, limitBytes);
}

function checkMediaType(ctx: Koa.Context): void {
  const encoding = ctx.get('Content-Encoding').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    throw new UnsupportedMediaTypeError();
  }

  const header = ctx.get('Content-Type');
  if (header === '') throw new UnsupportedMediaTypeError();

  let type: string;
  let charset: string | undefined;
  try {
    const parsed = parseContentType(header);
    type = parsed.type.toLowerCase();
    charset = parsed.parameters['charset']?.toLowerCase();
  } catch {
    throw new UnsupportedMediaTypeError();
  }

  // RFC 8259 has JSON in UTF-8 with no charset; a UTF-8 one is tolerated.
  const charsetIsUtf8 =
    charset === undefined || charset === 'utf-8' || charset === 'utf8';
  if (type !== 'application/json' || !charsetIsUtf8) {
    throw new UnsupportedMediaTypeError();
  }
}

async function readRaw(ctx: Koa.Context, limitBytes: number): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, {
      length: ctx.get('Content-Length') || null,
      limit: limitBytes,
    });
  } catch (error) {
    if (isTooLarge(error)) throw new PayloadTooLargeError(limitBytes);
    throw error;
  }
}

function isTooLarge(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { type?: unknown }).type === 'entity.too.large'
  );
}

/** The JSON in a body's bytes; malformed JSON or UTF-8 is a 400. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(strictUtf8.decode(raw));
  } catch {
    throw new MalformedJsonError();
  }
}
