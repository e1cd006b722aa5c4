import { z } from 'zod';

interface ProblemType {
  status: number;
  title: string;
}

/**
 * Every problem the API answers with, by code. The code is stable: it ends
 * the problem's `type` URI, and clients match on it. A title belongs to its
 * code, never to one occurrence (RFC 9457, section 3.1.3).
 */
export const problemTypes = {
  bad_request: { status: 400, title: 'Bad request' },
  invalid_request: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  invalid_command: { status: 400, title: 'The command is not valid' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  invalid_signature: {
    status: 401,
    title: 'The webhook signature is not valid',
  },
  forbidden: { status: 403, title: 'Forbidden' },
  https_required: { status: 403, title: 'HTTPS is required' },
  target_refused: {
    status: 400,
    title: 'The tool is not at a public address',
  },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: {
    status: 415,
    title: 'The body must be application/json',
  },
  connection_test_failed: {
    status: 422,
    title: 'The connection to the tool failed its test',
  },
  too_many_requests: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  store_unavailable: { status: 503, title: 'A store is unavailable' },
  not_ready: { status: 503, title: 'The service is not ready' },
  read_model_lagging: {
    status: 503,
    title: 'The change is recorded but cannot be read back yet',
  },
  tenant_restoring: {
    status: 503,
    title: 'The data is being restored from a snapshot',
  },
} as const satisfies Record<string, ProblemType>;

export type ProblemCode = keyof typeof problemTypes;

/** The `type` member of a problem with this code. */
export function problemTypeUri(code: ProblemCode): string {
  return `https://hakkiri.dev/problems/${code}`;
}

/** One bad field of a request: where it is, and what is wrong with it. */
export interface FieldError {
  /** Dotted, from the part of the request: `body.password`, `query.from`. */
  path: string;
  message: string;
}

/** An `application/problem+json` body (RFC 9457) with our members. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  requestId: string;
  [extension: string]: unknown;
}

/** The problem body as the OpenAPI document shows it. */
export const problemSchema = z
  .looseObject({
    type: z.string().meta({ description: 'Stable URI naming the problem' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    requestId: z
      .string()
      .meta({ description: 'Also sent as the X-Request-Id header' }),
    code: z
      .string()
      .optional()
      .meta({ description: 'The refusal, when the domain refused' }),
    reason: z.string().optional().meta({
      description: 'Why a customer tool could not be used, when it could not',
    }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Each bad field of the request' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
