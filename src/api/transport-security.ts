import type Koa from 'koa';
import helmet from 'koa-helmet';

import { HttpsRequiredError } from './api-errors.js';

/** How clients reach the service. One of the two is set outside loopback. */
export interface Transport {
  /** The server itself speaks TLS. */
  tls: boolean;
  /** A TLS-terminating proxy is in front and sets `X-Forwarded-Proto`. */
  trustProxy: boolean;
}

/** Two years, the span HSTS preload lists ask for (at least one). */
const hstsMaxAgeSeconds = 2 * 365 * 24 * 60 * 60;

/**
 * Security headers on every answer. The API only ever sends JSON, so the
 * content policy allows nothing at all. HSTS is sent only when clients
 * reach us over HTTPS; over plain loopback HTTP it would mean nothing.
 */
export function securityHeaders(transport: Transport): Koa.Middleware {
  const hsts = transport.tls || transport.trustProxy;

  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: hsts
      ? { maxAge: hstsMaxAgeSeconds, includeSubDomains: true }
      : false,
  });
}

/**
 * Behind a proxy, refuses requests whose client connection was not HTTPS.
 * 403 rather than 400: the request itself is well formed, it came the
 * wrong way, and repeating it the same way will never succeed. No redirect
 * either: the credentials have already crossed the wire in clear.
 *
 * The probes are exempt: load balancers and orchestrators call them on
 * the instance directly, without the header, and they carry no data.
 */
export function forwardedHttpsOnly(
  probePaths: ReadonlySet<string>,
): Koa.Middleware {
  return async (ctx, next) => {
    // The first value is the one the client-facing proxy set.
    const forwarded = ctx.get('X-Forwarded-Proto').split(',')[0] ?? '';
    const isHttps = forwarded.trim().toLowerCase() === 'https';
    if (!isHttps && !probePaths.has(ctx.path)) throw new HttpsRequiredError();

    await next();
  };
}
