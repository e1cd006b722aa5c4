import { pino } from 'pino';

import type { Logger } from './ports/logger.js';

export interface LoggerOptions {
  level: string;
  /** File descriptor to write to; the CLI keeps stdout for its answers. */
  fd?: 1 | 2;
}

/** Field paths that must never reach a log line, whatever logs them. */
const redactedPaths = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'token',
  '*.token',
  'passwordHash',
  '*.passwordHash',
];

export function createLogger({ level, fd = 1 }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service: 'hakkiri' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    pino.destination(fd),
  );
}

/** A logger that drops everything: for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
