import type { RouteDefinition } from '../route-definition.js';
import { accountRoutes } from './account-routes.js';
import type { IdentityServices } from './identity-services.js';
import { sessionRoutes } from './session-routes.js';
import { userRoutes } from './user-routes.js';

/** Every route about who is signed in, their users and their account. */
export function identityRoutes(
  identity: IdentityServices,
  publicUrl: string,
): RouteDefinition[] {
  return [
    ...sessionRoutes(identity),
    ...userRoutes(identity),
    ...accountRoutes(identity, publicUrl),
  ];
}
