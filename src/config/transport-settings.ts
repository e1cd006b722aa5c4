import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';

import { ConfigError } from './config-error.js';

/** The certificate and key the server speaks TLS with, as PEM. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** How the server is reached: where it binds, and who speaks TLS. */
export interface TransportSettings {
  host: string;
  tls: TlsFiles | undefined;
  /** A TLS-terminating proxy is in front. */
  trustProxy: boolean;
}

export interface PublicUrlSettings {
  /** HAKKIRI_PUBLIC_URL, when set. */
  given: string | undefined;
  production: boolean;
  host: string;
  port: number;
  tls: TlsFiles | undefined;
}

/**
 * Refuses to serve plain HTTP beyond loopback: customer data is reached
 * over TLS only, either ours or a proxy's in front of us.
 */
export function checkTransport(settings: TransportSettings): void {
  if (settings.tls || settings.trustProxy || isLoopback(settings.host)) return;

  throw new ConfigError(
    'HAKKIRI_HOST',
    'is not a loopback address, so it needs HAKKIRI_TLS_CERT and ' +
      'HAKKIRI_TLS_KEY, or HAKKIRI_TRUST_PROXY=true behind a TLS proxy',
  );
}

/** Loopback names and addresses: `localhost`, 127.0.0.0/8 and ::1. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  );
}

/**
 * Reads and checks the TLS files when either variable is set: both must
 * be, readable, and hold a certificate and the key that matches it.
 */
export function tlsFilesOf(
  certPath: string | undefined,
  keyPath: string | undefined,
): TlsFiles | undefined {
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined) {
    throw new ConfigError(
      'HAKKIRI_TLS_CERT',
      'must be set with HAKKIRI_TLS_KEY',
    );
  }
  if (keyPath === undefined) {
    throw new ConfigError(
      'HAKKIRI_TLS_KEY',
      'must be set with HAKKIRI_TLS_CERT',
    );
  }

  const files = {
    cert: readPem('HAKKIRI_TLS_CERT', certPath),
    key: readPem('HAKKIRI_TLS_KEY', keyPath),
  };
  checkKeyPair(files);

  return files;
}

function readPem(variable: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new ConfigError(
      variable,
      `names a file that cannot be read (${reason})`,
    );
  }
}

// The parsers' messages are not passed on: they may quote the file.
function checkKeyPair({ cert, key }: TlsFiles): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new ConfigError('HAKKIRI_TLS_CERT', 'holds no PEM certificate');
  }

  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ConfigError(
      'HAKKIRI_TLS_KEY',
      'holds no unencrypted PEM private key',
    );
  }

  if (!certificate.checkPrivateKey(privateKey)) {
    throw new ConfigError(
      'HAKKIRI_TLS_KEY',
      'does not match the certificate of HAKKIRI_TLS_CERT',
    );
  }
}

/**
 * Outside production the default is the bound address, so a developer
 * needs to set nothing; plain HTTP is accepted for loopback only.
 */
export function publicUrlOf({
  given,
  production,
  host,
  port,
  tls,
}: PublicUrlSettings): string {
  if (given === undefined && production) {
    throw new ConfigError('HAKKIRI_PUBLIC_URL', 'is required in production');
  }

  const text =
    given ?? `${tls ? 'https' : 'http'}://${hostForUrl(host)}:${port}`;
  const problem = publicUrlProblem(text, production);
  if (problem !== undefined) {
    throw new ConfigError('HAKKIRI_PUBLIC_URL', problem);
  }

  const url = new URL(text);

  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function publicUrlProblem(
  text: string,
  production: boolean,
): string | undefined {
  if (!URL.canParse(text)) return 'must be an absolute URL';

  const url = new URL(text);
  if (url.username !== '' || url.password !== '') {
    return 'must not hold credentials';
  }
  if (url.search !== '' || url.hash !== '') {
    return 'must not have a query or a fragment';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:' || production) return 'must be an https URL';

  return isLoopback(url.hostname)
    ? undefined
    : 'may use http only for a loopback host';
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
