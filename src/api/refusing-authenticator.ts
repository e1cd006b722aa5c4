import { UnauthenticatedError } from './api-errors.js';
import type { Authenticator } from './route-definition.js';

/**
 * The authenticator while no identity code is wired in: it accepts no
 * token, so every route that is not public answers 401. Failing closed is
 * the right default for a service that promises nothing is public.
 */
export const refusingAuthenticator: Authenticator = {
  authenticate: async () => {
    throw new UnauthenticatedError();
  },
};
