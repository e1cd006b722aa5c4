import { parseArgs } from 'node:util';

import { positiveInteger, positiveNumber } from '../api/api-settings.js';

export interface WebhookSettings {
  /** Connections of the flat-out runs, hello-world and deliveries alike. */
  connections: number;
  /** Each flat-out round, per measurement. */
  seconds: number;
  rounds: number;
  /** The fixed delivery rate, per second. */
  rate: number;
  rateSeconds: number;
  /** Most deliveries in flight at the fixed rate. */
  rateConnections: number;
  warmupSeconds: number;
  /** Where the service writes a CPU profile (`--cpu-prof`); none if unset. */
  cpuProfileDir: string | undefined;
}

/** The defaults keep the whole run at about a minute and a half. */
export function readWebhookSettings(): WebhookSettings {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '5' },
      rate: { type: 'string', default: '1000' },
      'rate-seconds': { type: 'string', default: '5' },
      'rate-connections': { type: 'string', default: '64' },
      warmup: { type: 'string', default: '2' },
      'cpu-prof-dir': { type: 'string' },
    },
  });

  return {
    connections: positiveInteger('connections', values.connections),
    seconds: positiveNumber('seconds', values.seconds),
    rounds: positiveInteger('rounds', values.rounds),
    rate: positiveInteger('rate', values.rate),
    rateSeconds: positiveNumber('rate-seconds', values['rate-seconds']),
    rateConnections: positiveInteger(
      'rate-connections',
      values['rate-connections'],
    ),
    warmupSeconds: positiveNumber('warmup', values.warmup),
    cpuProfileDir: values['cpu-prof-dir'],
  };
}
