import type { IdentityDependencies } from '../../commands/identity/identity-context.js';
import { Login } from '../../commands/identity/login.js';
import { Sessions } from '../../commands/identity/sessions.js';
import { TenantAdministration } from '../../commands/identity/tenant-administration.js';
import { UserAdministration } from '../../commands/identity/user-administration.js';
import type { BlindIndex } from '../../ports/blind-index.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { ReadStore } from '../../ports/read-store.js';
import type { TenantKeys } from '../../ports/tenant-keys.js';
import { IdentityDirectory } from '../../projections/identity/identity-directory.js';
import { identityProjectionName } from '../../projections/identity/identity-projection.js';
import { ProjectionWatermark } from '../../projections/projection-watermark.js';
import { AddressThrottle } from './address-throttle.js';
import { sessionAuthenticator } from './session-authenticator.js';
import { SessionTokens } from './session-tokens.js';

export interface IdentitySettings {
  eventStore: EventStore;
  readStore: ReadStore;
  logger: Logger;
  hasher: PasswordHasher;
  blindIndex: BlindIndex;
  tenantKeys: TenantKeys;
  sessionSecret: Buffer;
  sessionTtlMinutes: number;
  now?: () => Date;
}

/** The identity use cases, queries and token handling, wired together. */
export function identityServices(settings: IdentitySettings) {
  const directory = new IdentityDirectory(settings.readStore);
  const deps: IdentityDependencies = {
    store: settings.eventStore,
    logger: settings.logger,
    hasher: settings.hasher,
    blindIndex: settings.blindIndex,
    directory,
    ...(settings.now ? { now: settings.now } : {}),
  };
  const tokens = new SessionTokens(settings.sessionSecret);
  const watermark = new ProjectionWatermark(settings.readStore);

  return {
    directory,
    tokens,
    authenticator: sessionAuthenticator(tokens, directory),
    tenants: new TenantAdministration({
      store: settings.eventStore,
      logger: settings.logger,
      keys: settings.tenantKeys,
      blindIndex: settings.blindIndex,
    }),
    users: new UserAdministration(deps),
    sessions: new Sessions(deps),
    login: new Login(deps, {
      sessionTtlMs: settings.sessionTtlMinutes * 60_000,
    }),
    throttle: new AddressThrottle(),
    now: settings.now ?? (() => new Date()),
    /** Resolves once the identity read models show a write. */
    applied: (position: bigint | undefined) =>
      watermark.reached(identityProjectionName, position),
  };
}

export type IdentityServices = ReturnType<typeof identityServices>;
