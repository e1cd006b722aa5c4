import type Koa from 'koa';
import { z } from 'zod';

import { RequestValidationError } from './api-errors.js';
import { apiState } from './api-state.js';
import { readJsonBody } from './json-body.js';
import type { FieldError } from './problem-types.js';
import type { RouteDefinition } from './route-definition.js';

/** A route's input once every part has passed its schema. */
export interface ValidInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  rawBody: Buffer | undefined;
}

/** A route that declares no parameters or no query takes none. */
const noFields = z.strictObject({});

/**
 * Reads and validates the parameters, query and body of a request. All
 * bad fields are reported together, each by its path in the request.
 */
export async function validInput(
  ctx: Koa.Context,
  route: RouteDefinition,
  defaultBodyLimitBytes: number,
): Promise<ValidInput> {
  const request = route.request ?? {};
  const body =
    request.body === undefined
      ? undefined
      : await readJsonBody(
          ctx,
          request.bodyLimitBytes ?? defaultBodyLimitBytes,
        );
  if (body !== undefined) apiState(ctx).rawBody = body.raw;

  const parts = [
    check('params', request.params ?? noFields, routeParams(ctx)),
    check('query', request.query ?? noFields, ctx.query),
    request.body === undefined
      ? passed(undefined)
      : check('body', request.body, body?.json),
  ] as const;

  const fieldErrors = parts.flatMap((part) => part.fieldErrors);
  if (fieldErrors.length > 0) throw new RequestValidationError(fieldErrors);

  return {
    params: parts[0].value as Record<string, unknown>,
    query: parts[1].value as Record<string, unknown>,
    body: parts[2].value,
    rawBody: body?.raw,
  };
}

interface Checked {
  value: unknown;
  fieldErrors: FieldError[];
}

function passed(value: unknown): Checked {
  return { value, fieldErrors: [] };
}

function check(part: string, schema: z.ZodType, input: unknown): Checked {
  const result = schema.safeParse(input);
  if (result.success) return passed(result.data);

  return {
    value: undefined,
    fieldErrors: result.error.issues.flatMap((issue) =>
      fieldErrorsOf(part, issue),
    ),
  };
}

/** An unknown field is named by its own path, one error per field. */
function fieldErrorsOf(part: string, issue: z.core.$ZodIssue): FieldError[] {
  const at = [part, ...issue.path.map(String)];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...at, key].join('.'),
      message: 'is not a known field',
    }));
  }

  return [{ path: at.join('.'), message: issue.message }];
}

function routeParams(ctx: Koa.Context): Record<string, string> {
  return (ctx as { params?: Record<string, string> }).params ?? {};
}
