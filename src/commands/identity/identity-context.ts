import type { BlindIndex } from '../../ports/blind-index.js';
import type { Logger } from '../../ports/logger.js';
import type { EventStore } from '../../ports/event-store.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { AccountDirectory } from './accounts.js';

/** What the identity use cases share. */
export interface IdentityDependencies {
  store: EventStore;
  logger: Logger;
  hasher: PasswordHasher;
  directory: AccountDirectory;
  blindIndex: BlindIndex;
  /** Injected so tests can move time, for lockouts and expiry. */
  now?: () => Date;
}

/** Who asked: the tenant acted on, and the request that caused it. */
export interface Requester {
  tenantId: string;
  requestId: string;
}

export function commandContext({ tenantId, requestId }: Requester) {
  return { tenantId, correlationId: requestId, causationId: requestId };
}
