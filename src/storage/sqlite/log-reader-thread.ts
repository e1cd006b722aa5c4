import { parentPort, workerData } from 'node:worker_threads';

import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';

import { logPageQuery, textOfPage } from './log-page.js';
import type { LogPageRow } from './log-page.js';
import type { PageRequest, ThreadMessage } from './sqlite-log-reader.js';

/**
 * The log reader's thread: reads pages of the log on its own read-only
 * connection (WAL lets it read beside the writer) and sends each page as
 * one JSON text. A page it cannot send faithfully it declines, and the
 * store reads that page itself, so every error surfaces there.
 */
const port = parentPort!;
const { file } = workerData as { file: string };

const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 10000');
const pages = (
  db.prepare(logPageQuery) as Statement<[bigint, number], LogPageRow>
).safeIntegers(true);

function send(message: ThreadMessage): void {
  port.postMessage(message);
}

function textAfter(after: bigint, limit: number): string | undefined {
  try {
    const page = pages.get(after, limit);
    return page && textOfPage(page);
  } catch {
    // Declined: the store's own read of this page reports the error.
    return undefined;
  }
}

port.on('message', ({ id, after, limit }: PageRequest) => {
  send({ kind: 'page', id, after, text: textAfter(after, limit) });
});

send({ kind: 'ready' });
