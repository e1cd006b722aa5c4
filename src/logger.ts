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

const options = (level: string) => ({
  level,
  base: { service: 'hakkiri' },
  redact: { paths: redactedPaths, censor: '[redacted]' },
});

export function createLogger({ level, fd = 1 }: LoggerOptions): Logger {
  return pino(options(level), pino.destination(fd));
}

/**
 * A logger of another thread: each line, already redacted, goes to
 * `write`, for the parent to log through its own logger.
 */
export function threadLogger(
  level: string,
  write: (line: string) => void,
): Logger {
  return pino(options(level), { write });
}

/** Fields the receiving logger sets itself. */
const ownFields = new Set(['level', 'time', 'pid', 'hostname', 'service']);

/** Logs a line of a thread's logger through this one, at its level. */
export function relayLine(logger: Logger, line: string): void {
  const { level, msg, ...fields } = JSON.parse(line) as {
    level: number;
    msg?: string;
  } & Record<string, unknown>;
  const label = logger.levels.labels[level] ?? 'info';
  const kept = Object.fromEntries(
    Object.entries(fields).filter(([name]) => !ownFields.has(name)),
  );

  (logger[label as 'info'] as Logger['info']).call(logger, kept, msg);
}

/** A logger that drops everything: for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
