import {
  ConnectorError,
  connectorFailures,
} from '../commands/connectors/connector-errors.js';
import { DomainError } from '../domain/domain-error.js';
import {
  StoreUnavailableError,
  TenantKeysDeletedError,
  WrongExpectedRevisionError,
} from '../ports/errors.js';
import { ReadModelLagError } from '../projections/projection-watermark.js';
import { ApiError } from './api-errors.js';
import { problemTypes, problemTypeUri } from './problem-types.js';
import type { ProblemBody, ProblemCode } from './problem-types.js';

/** How the API answers one error. */
export interface ProblemAnswer {
  body: ProblemBody;
  headers: Record<string, string>;
  /** The service failed, not the request: the error must be logged. */
  isFailure: boolean;
}

interface Mapped {
  code: ProblemCode;
  detail?: string;
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
  isFailure?: boolean;
}

const domainCodes: Record<DomainError['kind'], ProblemCode> = {
  not_found: 'not_found',
  conflict: 'conflict',
  invalid: 'invalid_command',
};

/**
 * Statuses that Koa and its middleware (koa-jwt, the router) throw as
 * exposed HTTP errors. Their messages are theirs, so none is passed on.
 */
const httpStatusCodes: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * The problem for any error a request can end with. Unknown errors give a
 * bare 500: their message and stack go to the log, never to the caller.
 */
export function problemFor(error: unknown, requestId: string): ProblemAnswer {
  const mapped = mappingOf(error);
  const { status, title } = problemTypes[mapped.code];
  const body: ProblemBody = {
    type: problemTypeUri(mapped.code),
    title,
    status,
    ...(mapped.detail === undefined ? {} : { detail: mapped.detail }),
    ...mapped.extensions,
    requestId,
  };

  return {
    body,
    headers: mapped.headers ?? {},
    isFailure: mapped.isFailure ?? false,
  };
}

function mappingOf(error: unknown): Mapped {
  if (error instanceof ApiError) {
    return {
      code: error.code,
      detail: error.message,
      headers: error.responseHeaders(),
      extensions: error.extensions(),
    };
  }
  if (error instanceof DomainError) {
    return {
      code: domainCodes[error.kind],
      detail: error.message,
      extensions: { code: error.code },
    };
  }

  if (error instanceof ConnectorError) return mappingOfConnector(error);

  return mappingOfInfrastructure(error);
}

/**
 * The tool's answer, in our words: the reason is stable for clients, and
 * the message never repeats what the tool said.
 */
function mappingOfConnector(error: ConnectorError): Mapped {
  return {
    code:
      error.reason === 'target_refused'
        ? 'target_refused'
        : 'connection_test_failed',
    detail: connectorFailures[error.reason],
    extensions: { reason: error.reason },
  };
}

function mappingOfInfrastructure(error: unknown): Mapped {
  // The message names the stream, which is the store's business.
  if (error instanceof WrongExpectedRevisionError) {
    return { code: 'conflict', extensions: { code: error.code } };
  }
  if (error instanceof StoreUnavailableError) {
    return { code: 'store_unavailable', isFailure: true };
  }
  // The command's events are in the log: only its read model is behind,
  // as while the projections catch up after a start. Asking the same
  // again would repeat the change, so the answer says it is recorded.
  if (error instanceof ReadModelLagError) {
    return {
      code: 'read_model_lagging',
      detail:
        'The change is recorded, but the service has not caught up with ' +
        'it yet: read it back shortly, before making it again.',
      headers: { 'Retry-After': '1' },
    };
  }
  // Its data is gone for good: for the API, so is the tenant.
  if (error instanceof TenantKeysDeletedError) {
    return {
      code: 'not_found',
      detail: 'No such tenant',
      extensions: { code: 'tenant_not_found' },
    };
  }

  const exposedCode = exposedHttpCode(error);
  if (exposedCode === 'unauthenticated') {
    return { code: exposedCode, headers: { 'WWW-Authenticate': 'Bearer' } };
  }
  if (exposedCode !== undefined) return { code: exposedCode };

  return { code: 'internal_error', isFailure: true };
}

/**
 * An http-errors error (what `ctx.throw` makes) that is meant for the
 * client. One that is not exposed, or has a status we do not know, is
 * treated as any unknown failure.
 */
function exposedHttpCode(error: unknown): ProblemCode | undefined {
  if (!(error instanceof Error)) return undefined;

  const { status, expose } = error as { status?: unknown; expose?: unknown };
  if (expose !== true || typeof status !== 'number') return undefined;

  return httpStatusCodes[status];
}
