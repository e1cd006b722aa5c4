import { parseArgs } from 'node:util';

import type { RunOptions } from '../measure.js';
import { contentFields } from './sealed-events.js';

export interface Settings {
  /** The field cipher and its raw baselines: 8 measurements. */
  cipher: RunOptions;
  /** Appends with and without encryption: 4 measurements. */
  append: RunOptions;
  /** How many of an appended event's content fields are sealed. */
  sealedFields: number;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new Error(`--${flag} must be positive: ${text}`);

  return value;
}

function integerIn(flag: string, text: string, min: number, max: number) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${flag} must be an integer, ${min} to ${max}: ${text}`);
  }

  return value;
}

/**
 * The defaults keep the whole run near 80 seconds: 8 cipher measurements
 * of 3.5 s and 4 append measurements of 11 s, warm-ups included.
 */
export function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      'cipher-seconds': { type: 'string', default: '3' },
      'append-seconds': { type: 'string', default: '10' },
      rounds: { type: 'string', default: '10' },
      'sealed-fields': { type: 'string', default: '3' },
    },
  });
  const rounds = integerIn('rounds', values.rounds, 1, 1000);
  const sealedFields = integerIn(
    'sealed-fields',
    values['sealed-fields'],
    0,
    contentFields.length,
  );
  const seconds = (flag: 'cipher-seconds' | 'append-seconds') =>
    positive(flag, values[flag]) * 1000;

  return {
    cipher: { warmupMs: 500, durationMs: seconds('cipher-seconds'), rounds },
    append: { warmupMs: 1000, durationMs: seconds('append-seconds'), rounds },
    sealedFields,
  };
}
