import { defineRoute } from '../route-definition.js';
import type { RouteDefinition } from '../route-definition.js';
import { networkSchema } from './identity-schemas.js';
import type { IdentityServices } from './identity-services.js';

/**
 * What a tenant needs to set up its network: the addresses Hakkiri comes
 * from, for the customer's firewall, and where webhooks go.
 */
export function accountRoutes(
  identity: IdentityServices,
  publicUrl: string,
): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/account/network',
      operationId: 'accountNetwork',
      summary: 'Egress addresses to allow, and the webhook base URL',
      tags: ['account'],
      access: 'authenticated',
      responses: {
        200: { description: 'The network settings', schema: networkSchema },
      },
      errors: [],
      handle: async ({ principal }) => {
        const tenant = await identity.directory.tenant(principal.tenantId);

        return {
          status: 200,
          body: {
            egressAddresses: tenant?.egressAddresses ?? [],
            webhookBaseUrl: `${publicUrl.replace(/\/+$/, '')}/v1/webhooks/jira/`,
          },
        };
      },
    }),
  ];
}
