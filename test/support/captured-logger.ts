import { Writable } from 'node:stream';

import { pino } from 'pino';

import type { Logger } from '../../src/ports/logger.js';

export interface CapturedLogger {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Record<string, unknown>[];
}

/** A real pino logger whose lines are kept for the test to read. */
export function capturedLogger(level = 'debug'): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line));
      }
      done();
    },
  });

  return { logger: pino({ level }, sink), lines: () => lines };
}
