import { silentLogger } from '../../src/logger.js';
import { connectEventStoreDb } from '../../src/storage/eventstoredb/eventstoredb-event-store.js';
import { eventStoreContract } from '../contract/event-store.contract.js';
import { startEventStoreDbDouble } from '../doubles/eventstoredb-grpc-double.js';

// The adapter's own tests, over the same double, are in ./eventstoredb/.

eventStoreContract('eventstoredb', async () => {
  const double = await startEventStoreDbDouble();
  const store = connectEventStoreDb(double.url, silentLogger());

  return {
    store,
    teardown: async () => {
      await store.close();
      await double.close();
    },
  };
});

const realServer = process.env['EVENTSTORE_URL'];
if (realServer !== undefined) {
  eventStoreContract('eventstoredb (EVENTSTORE_URL)', async () => {
    const store = connectEventStoreDb(realServer, silentLogger());

    return { store, teardown: () => store.close() };
  });
}
