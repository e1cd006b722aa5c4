import { parseArgs } from 'node:util';

export interface Settings {
  /** Work items of the tenant when the first snapshot is taken. */
  items: number;
  /** Status changes of each item before the first snapshot. */
  changes: number;
  /** Status changes appended after each snapshot, for restore to apply. */
  after: number;
  /** Take-and-restore rounds, each with its baselines beside it. */
  rounds: number;
}

function count(flag: string, text: string, least: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) {
    throw new Error(`--${flag} must be an integer of at least ${least}`);
  }

  return value;
}

/** The case: 100,000 work items, and work left for the catch-up. */
export function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      items: { type: 'string', default: '100000' },
      changes: { type: 'string', default: '2' },
      after: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '2' },
    },
  });

  return {
    items: count('items', values.items, 1),
    changes: count('changes', values.changes, 0),
    after: count('after', values.after, 0),
    rounds: count('rounds', values.rounds, 1),
  };
}
