import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { openStores } from '../../src/service-stores.js';
import type { Timing } from '../measure.js';
import { catchUp, decodeOnlyCatchUp, settleService } from './catch-up.js';
import { loadTenant } from './tenant-load.js';

/** What building the tenant measured, as this script prints it. */
export interface BuiltTenant {
  events: number;
  load: Timing;
  catchUp: Timing;
  decodeOnly: Timing;
}

/**
 * Builds the bench's tenant in the data folder the environment names,
 * and times its log load and the projections' catch-up. It runs in a
 * process of its own: the queries are then paced from a process whose
 * heap did not just hold a million events, and whose collector does not
 * stop its timers.
 */
async function build(items: number, changes: number): Promise<BuiltTenant> {
  const logger = createLogger({ level: 'warn', fd: 2 });
  const stores = await openStores(loadConfig(process.env), logger);

  try {
    progress('loading the log');
    const loaded = await loadTenant(stores, logger, items, changes);
    const events = Number(await stores.eventStore.headPosition());
    progress(`baseline: a projection that only decodes, ${events} events`);
    const decodeOnly = await decodeOnlyCatchUp(stores, events);
    progress(`catching up on ${events} events`);
    const caughtUp = await catchUp(stores, events);
    progress("the service's other projections, untimed");
    await settleService(stores);

    return { events, load: loaded.load, catchUp: caughtUp, decodeOnly };
  } finally {
    await stores.close();
  }
}

function progress(line: string): void {
  console.error(`  ${line}`);
}

const [items, changes] = process.argv.slice(2).map(Number);
const built = await build(items!, changes!);
console.log(JSON.stringify(built));
