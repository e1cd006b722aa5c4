import { HakkiriError } from '../../domain/hakkiri-error.js';

/**
 * Why a customer's tool could not be used. Each reason is something an
 * admin can act on, so it is shown on the connection as it is.
 */
export const connectorFailures = {
  target_refused: 'The address is not a public one',
  unreachable: 'The server could not be reached',
  timeout: 'The server did not answer in time',
  tls: 'The TLS certificate was not trusted',
  unauthorized: 'The credentials were refused',
  forbidden: 'The credentials lack a permission',
  not_jira: 'The server did not answer as Jira does',
  query_refused:
    'The server refused the query, e.g. for a project it does not know',
  rate_limited: 'The server kept refusing for too many requests',
  server_error: 'The server kept failing',
  invalid_response: 'The server answered with something unexpected',
} as const;

export type ConnectorFailure = keyof typeof connectorFailures;

/** A call to a customer's tool that failed, and will not succeed as is. */
export class ConnectorError extends HakkiriError {
  readonly code = 'connector_failed';

  constructor(
    readonly reason: ConnectorFailure,
    /** What went wrong, without secrets or customer content. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(
      detail === undefined
        ? connectorFailures[reason]
        : `${connectorFailures[reason]}: ${detail}`,
      options,
    );
  }
}
