import { parseArgs } from 'node:util';

export interface ApiSettings {
  connections: number;
  /** Each flat-out round, per measurement. */
  seconds: number;
  rounds: number;
  /** The fixed login rate of the target, per second. */
  loginRate: number;
  loginSeconds: number;
  warmupSeconds: number;
}

export function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new Error(`--${flag} must be positive: ${text}`);

  return value;
}

export function positiveInteger(flag: string, text: string): number {
  const value = positiveNumber(flag, text);
  if (!Number.isInteger(value)) {
    throw new Error(`--${flag} must be a positive integer: ${text}`);
  }

  return value;
}

/** The defaults keep the whole run under about two minutes. */
export function readApiSettings(): ApiSettings {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '5' },
      'login-rate': { type: 'string', default: '20' },
      'login-seconds': { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
    },
  });

  return {
    connections: positiveInteger('connections', values.connections),
    seconds: positiveNumber('seconds', values.seconds),
    rounds: positiveInteger('rounds', values.rounds),
    loginRate: positiveInteger('login-rate', values['login-rate']),
    loginSeconds: positiveNumber('login-seconds', values['login-seconds']),
    warmupSeconds: positiveNumber('warmup', values.warmup),
  };
}
