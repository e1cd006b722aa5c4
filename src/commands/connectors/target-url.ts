import { isIP } from 'node:net';

import { DomainError } from '../../domain/domain-error.js';
import { classifyAddress, describeAddressKind } from './public-address.js';

/** A server URL an admin gave that Hakkiri will not use; the API says 400. */
export class TargetUrlError extends DomainError {
  constructor(message: string) {
    super('invalid_target_url', 'invalid', message);
  }
}

/** A customer server's base URL, taken apart for a guarded connection. */
export interface TargetUrl {
  /** `https://host[:port]/path`, without a trailing slash. */
  baseUrl: string;
  /** For DNS, SNI and certificate checks; IPv6 without brackets. */
  hostname: string;
  /** What the Host header says: the host as written, with its port. */
  host: string;
  port: number;
  /** The context path, e.g. `/jira`, or `''` at the root. */
  basePath: string;
  /** Set when the URL names an IP address rather than a host name. */
  literalAddress: string | undefined;
}

export interface TargetUrlOptions {
  /** The operator's setting that lets tests reach a local stub. */
  allowPrivateTargets: boolean;
}

const defaultHttpsPort = 443;

/**
 * Checks a server URL as an admin typed it. WHATWG URL parsing already
 * turns numeric hosts such as `2130706433`, `0177.0.0.1`, `0x7f.1` and
 * `127.1` into dotted IPv4, so a literal address is judged by what it
 * really is. Host names are judged later, by what they resolve to.
 */
export function parseTargetUrl(
  raw: string,
  options: TargetUrlOptions,
): TargetUrl {
  const url = parseUrl(raw.trim());
  refuseAmbiguousParts(raw.trim(), url);

  const literalAddress = literalAddressOf(url.hostname);
  if (literalAddress !== undefined && !options.allowPrivateTargets) {
    refuseNonPublic(literalAddress);
  }

  const port = url.port === '' ? defaultHttpsPort : Number(url.port);
  if (port === 0) throw new TargetUrlError('The server URL has no usable port');

  const basePath = url.pathname.replace(/\/+$/, '');

  return {
    baseUrl: `https://${url.host}${basePath}`,
    hostname: literalAddress ?? url.hostname,
    host: url.host,
    port,
    basePath,
    literalAddress,
  };
}

function parseUrl(raw: string): URL {
  if (!/^https:\/\//i.test(raw)) {
    throw new TargetUrlError('The server URL must start with https://');
  }

  try {
    return new URL(raw);
  } catch {
    throw new TargetUrlError('The server URL is not a valid URL');
  }
}

/**
 * Refuses what a URL parser would quietly fix or drop, so the URL that is
 * used is the one the admin meant.
 */
function refuseAmbiguousParts(raw: string, url: URL): void {
  if (/[\s\\]/.test(raw) || [...raw].some(isControlCharacter)) {
    throw new TargetUrlError(
      'The server URL must not contain spaces, backslashes or control characters',
    );
  }
  if (raw.slice('https://'.length).split(/[/?#]/)[0]!.includes('@')) {
    throw new TargetUrlError(
      'The server URL must not carry a user or password',
    );
  }
  if (raw.includes('#')) {
    throw new TargetUrlError('The server URL must not have a fragment');
  }
  if (raw.includes('?') || url.search !== '') {
    throw new TargetUrlError('The server URL must not have a query');
  }
}

function isControlCharacter(character: string): boolean {
  const code = character.charCodeAt(0);

  return code < 0x20 || code === 0x7f;
}

function literalAddressOf(hostname: string): string | undefined {
  const unbracketed = hostname.replace(/^\[(.*)\]$/, '$1');

  return isIP(unbracketed) === 0 ? undefined : unbracketed;
}

function refuseNonPublic(address: string): void {
  const kind = classifyAddress(address);
  if (kind === 'public') return;

  throw new TargetUrlError(
    `The server URL names ${describeAddressKind(kind)}; only public servers can be reached`,
  );
}
