import { parseArgs } from 'node:util';

export interface Settings {
  items: number;
  changes: number;
  /** Requests per second of each query measurement. */
  rate: number;
  /** Seconds each query is measured for, after a warm-up. */
  seconds: number;
  /** Days of the range the queries ask for, ending on the last day. */
  rangeDays: number;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${flag} must be a positive integer: ${text}`);
  }

  return value;
}

export function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      items: { type: 'string', default: '100000' },
      changes: { type: 'string', default: '1000000' },
      rate: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '10' },
      'range-days': { type: 'string', default: '90' },
    },
  });
  const settings = {
    items: positiveInteger('items', values.items),
    changes: positiveInteger('changes', values.changes),
    rate: positiveInteger('rate', values.rate),
    seconds: positiveInteger('seconds', values.seconds),
    rangeDays: positiveInteger('range-days', values['range-days']),
  };
  if (settings.changes % settings.items !== 0) {
    throw new Error('--changes must be a multiple of --items');
  }

  return settings;
}
