import { parseArgs } from 'node:util';

export interface Settings {
  events: number;
  rounds: number;
  mongoEvents: number;
  mongoRounds: number;
  /** The runner's default, and the raw transaction size to match it. */
  batchSize: number;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${flag} must be a positive integer: ${text}`);
  }

  return value;
}

/**
 * FerretDB answers about a hundred upserts a second here, so its log is a
 * hundred times shorter than SQLite's, to keep the whole run near two
 * minutes.
 */
export function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '200000' },
      rounds: { type: 'string', default: '3' },
      'mongo-events': { type: 'string', default: '2000' },
      'mongo-rounds': { type: 'string', default: '2' },
      'batch-size': { type: 'string', default: '1000' },
    },
  });

  return {
    events: positiveInteger('events', values.events),
    rounds: positiveInteger('rounds', values.rounds),
    mongoEvents: positiveInteger('mongo-events', values['mongo-events']),
    mongoRounds: positiveInteger('mongo-rounds', values['mongo-rounds']),
    batchSize: positiveInteger('batch-size', values['batch-size']),
  };
}
