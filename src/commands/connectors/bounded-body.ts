import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { ConnectionResetError } from './connection-failures.js';
import { ConnectorError } from './connector-errors.js';

/** An answer past the size limit; a smaller page may fit. */
export class ResponseTooLargeError extends ConnectorError {
  constructor(readonly limitBytes: number) {
    super('invalid_response', `the answer is larger than ${limitBytes} bytes`);
  }
}

/**
 * Reads an answer's body, gunzipped when the server compressed it, and
 * stops at `limit` bytes. The limit counts what is unpacked, so a small
 * compressed body cannot grow into a large one.
 */
export function readBoundedBody(
  response: IncomingMessage,
  limit: number,
): Promise<Buffer> {
  const declared = Number(response.headers['content-length'] ?? 0);
  const encoding = String(response.headers['content-encoding'] ?? 'identity');

  return new Promise((resolve, reject) => {
    if (!/^(identity|gzip)$/i.test(encoding.trim())) {
      response.destroy();
      reject(
        new ConnectorError('invalid_response', 'an unasked content encoding'),
      );
      return;
    }
    const gzipped = /gzip/i.test(encoding);
    if (!gzipped && declared > limit) {
      response.destroy();
      reject(new ResponseTooLargeError(limit));
      return;
    }

    const body: Readable = gzipped ? response.pipe(createGunzip()) : response;
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: unknown) => {
      response.destroy();
      body.destroy();
      reject(error);
    };

    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(new ResponseTooLargeError(limit));
      else chunks.push(chunk);
    });
    body.on('error', (error) =>
      fail(
        gzipped && !(error instanceof ConnectorError)
          ? new ConnectorError('invalid_response', 'a broken gzip body')
          : error,
      ),
    );
    response.on('error', fail);
    response.on('close', () => {
      if (!response.complete) fail(new ConnectionResetError());
    });
    body.on('end', () => resolve(Buffer.concat(chunks, size)));
  });
}
