import { pino } from 'pino';

import type { Logger } from './ports/logger.js';

export interface LoggerOptions {
  level: string;
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
];

export function createLogger({ level }: LoggerOptions): Logger {
  return pino({
    level,
    base: { service: 'hakkiri' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  });
}

/** A logger that drops everything: for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
