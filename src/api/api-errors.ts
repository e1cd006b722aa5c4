import { HakkiriError } from '../domain/hakkiri-error.js';
import type { FieldError, ProblemCode } from './problem-types.js';

/**
 * A refusal the API answers with a problem of its own code. The message
 * becomes the problem's `detail`, so it must be fit for the caller to read.
 */
export abstract class ApiError extends HakkiriError {
  abstract override readonly code: ProblemCode;

  /** Response headers the problem needs, such as `Retry-After`. */
  responseHeaders(): Record<string, string> {
    return {};
  }

  /** Extension members of the problem body, such as the field errors. */
  extensions(): Record<string, unknown> {
    return {};
  }
}

/** No valid credentials came with a request to a protected route. */
export class UnauthenticatedError extends ApiError {
  readonly code = 'unauthenticated';

  constructor(message = 'A valid bearer token is required.') {
    super(message);
  }

  // RFC 6750, section 3: a 401 names the scheme the client should use.
  override responseHeaders(): Record<string, string> {
    return { 'WWW-Authenticate': 'Bearer' };
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends ApiError {
  readonly code = 'forbidden';

  constructor(message = 'Your role does not allow this.') {
    super(message);
  }
}

/** The caller must wait before trying again. */
export class TooManyRequestsError extends ApiError {
  readonly code = 'too_many_requests';

  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests; try again later.',
  ) {
    super(message);
  }

  override responseHeaders(): Record<string, string> {
    const seconds = Math.max(1, Math.ceil(this.retryAfterSeconds));

    return { 'Retry-After': String(seconds) };
  }
}

/** The body is larger than the route accepts. */
export class PayloadTooLargeError extends ApiError {
  readonly code = 'payload_too_large';

  constructor(readonly limitBytes: number) {
    super(`The body may hold at most ${limitBytes} bytes.`);
  }
}

/** The body is not JSON in UTF-8, or is compressed. */
export class UnsupportedMediaTypeError extends ApiError {
  readonly code = 'unsupported_media_type';

  constructor(
    message = 'Send the body as application/json in UTF-8, uncompressed.',
  ) {
    super(message);
  }
}

/**
 * The body does not parse as JSON. The parser's own message is not passed
 * on: it quotes the body.
 */
export class MalformedJsonError extends ApiError {
  readonly code = 'malformed_json';

  constructor() {
    super('The body could not be parsed as JSON.');
  }
}

/** Path parameters, query string or body fail their schema. */
export class RequestValidationError extends ApiError {
  readonly code = 'invalid_request';

  constructor(readonly fieldErrors: FieldError[]) {
    super('Some fields of the request are not valid.');
  }

  override extensions(): Record<string, unknown> {
    return { errors: this.fieldErrors };
  }
}

/** No route has this path. */
export class RouteNotFoundError extends ApiError {
  readonly code = 'not_found';

  constructor() {
    super('No resource has this path.');
  }
}

/** A route has this path, but not for this method. */
export class MethodNotAllowedError extends ApiError {
  readonly code = 'method_not_allowed';

  constructor(readonly allowedMethods: string[]) {
    super('This method is not allowed on this path.');
  }

  // RFC 9110, section 15.5.6: a 405 lists the methods that are allowed.
  override responseHeaders(): Record<string, string> {
    return { Allow: this.allowedMethods.join(', ') };
  }
}

/** Behind a proxy, the client's own connection was not HTTPS. */
export class HttpsRequiredError extends ApiError {
  readonly code = 'https_required';

  constructor() {
    super('This service is reached over HTTPS only.');
  }
}

/** A store the service needs did not answer its readiness check. */
export class NotReadyError extends ApiError {
  readonly code = 'not_ready';

  constructor(readonly checks: Record<string, 'up' | 'down'>) {
    super('A store the service needs does not answer.');
  }

  override extensions(): Record<string, unknown> {
    return { checks: this.checks };
  }
}

/** A webhook delivery whose signature is missing or wrong. */
export class InvalidSignatureError extends ApiError {
  readonly code = 'invalid_signature';

  constructor() {
    super(
      'X-Hub-Signature must be sha256=<hex HMAC-SHA256 of the body> ' +
        "under the connection's webhook secret.",
    );
  }
}

/** The tenant's read models are being restored from a snapshot. */
export class TenantRestoringError extends ApiError {
  readonly code = 'tenant_restoring';

  constructor(readonly retryAfterSeconds: number) {
    super('Your data is being restored from a snapshot; try again shortly.');
  }

  override responseHeaders(): Record<string, string> {
    return { 'Retry-After': String(Math.max(1, this.retryAfterSeconds)) };
  }
}
