import { TenantAdministration } from '../../src/commands/identity/tenant-administration.js';
import { UserAdministration } from '../../src/commands/identity/user-administration.js';
import { Argon2PasswordHasher } from '../../src/crypto/argon2-password-hasher.js';
import {
  issueTypeIndexInput,
  issueTypeIndexPurpose,
  projectIndexInput,
  projectIndexPurpose,
} from '../../src/domain/work-item/work-item-indexes.js';
import { workflowStreamName } from '../../src/domain/work-item/work-item-events.js';
import type { OpenStores } from '../../src/service-stores.js';
import type { Logger } from '../../src/ports/logger.js';
import { IdentityDirectory } from '../../src/projections/identity/identity-directory.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';
import {
  issueTypes,
  itemHistory,
  projects,
  workflowStatuses,
} from './history.js';

export const tenantSlug = 'bench';
export const adminName = 'admin';
export const adminPassword = 'a long enough bench password';
const connectionId = 'jira-bench';
const appendsInFlight = 64;

export interface LoadedTenant {
  tenantId: string;
  events: number;
  load: Timing;
}

/** The tenant and its admin, as the CLI makes them. */
async function createTenant(
  stores: OpenStores,
  logger: Logger,
): Promise<string> {
  const { tenantId } = await new TenantAdministration({
    store: stores.eventStore,
    logger,
    keys: stores.encryption.keyring,
    blindIndex: stores.encryption.blindIndex,
  }).create(
    { slug: tenantSlug, displayName: 'Bench', egressAddresses: [] },
    'bench',
  );
  await new UserAdministration({
    store: stores.eventStore,
    logger,
    hasher: new Argon2PasswordHasher(),
    blindIndex: stores.encryption.blindIndex,
    directory: new IdentityDirectory(stores.readStore),
  }).create(
    { tenantId, requestId: 'bench' },
    { username: adminName, password: adminPassword, role: 'admin' },
  );

  return tenantId;
}

/**
 * Fills the encrypting event store with the tenant's work items, one
 * append per item, many in flight so they commit in groups.
 */
export async function loadTenant(
  stores: OpenStores,
  logger: Logger,
  items: number,
  changes: number,
): Promise<LoadedTenant> {
  const tenantId = await createTenant(stores, logger);
  const index = (purpose: string, value: string) =>
    stores.encryption.blindIndex.ofTenantValue(tenantId, purpose, value);
  const shape = {
    items,
    changesPerItem: changes / items,
    end: Date.now(),
    connectionId,
    projectIndexes: await Promise.all(
      projects.map((p) => index(projectIndexPurpose, projectIndexInput(p))),
    ),
    issueTypeIndexes: await Promise.all(
      issueTypes.map((t) =>
        index(issueTypeIndexPurpose, issueTypeIndexInput(t)),
      ),
    ),
  };
  const metadata = {
    tenantId,
    correlationId: 'bench',
    causationId: 'bench',
    schemaVersion: 1,
  };

  let events = 0;
  const load = await timeOnce(async () => {
    await stores.eventStore.append(
      workflowStreamName(connectionId),
      [
        {
          type: 'WorkflowStatusesObserved',
          data: {
            connectionId,
            categories: Object.fromEntries(
              workflowStatuses.map(([id, , c]) => [id, c]),
            ),
            names: Object.fromEntries(
              workflowStatuses.map(([id, name]) => [id, name]),
            ),
          },
          metadata,
        },
      ],
      'no_stream',
    );
    let next = 0;
    const writer = async () => {
      while (next < items) {
        const { stream, events: history } = itemHistory(next++, shape);
        events += history.length;
        await stores.eventStore.append(
          stream,
          history.map((event) => ({ ...event, metadata })),
          'no_stream',
        );
      }
    };
    await Promise.all(Array.from({ length: appendsInFlight }, writer));

    return events;
  });

  return { tenantId, events: events + 1, load };
}
