import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

import { DomainError } from '../../domain/domain-error.js';

/** A CA certificate an admin gave that cannot be used; the API says 400. */
export class CaCertificateError extends DomainError {
  constructor(message: string) {
    super('invalid_ca_certificate', 'invalid', message);
  }
}

const pemBlock =
  /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/**
 * Checks a PEM bundle of one or more certificates to trust, as a
 * self-hosted Jira behind an internal CA needs, and returns them. A
 * self-signed server certificate works too, so CA flags are not required.
 */
export function parseCaCertificate(pem: string): string[] {
  const blocks = pem.match(pemBlock) ?? [];
  if (blocks.length === 0) {
    throw new CaCertificateError('The CA certificate must be in PEM form');
  }

  for (const block of blocks) readCertificate(block);

  return blocks;
}

/**
 * The certificates to trust for a connection: the public roots Node
 * ships, and the connection's own CA when it has one. `ca` replaces the
 * defaults in Node, hence the public roots are listed again.
 */
export function trustedCertificates(
  caCertificate: string | undefined,
): string[] | undefined {
  if (caCertificate === undefined) return undefined;

  return [...rootCertificates, ...parseCaCertificate(caCertificate)];
}

function readCertificate(block: string): void {
  try {
    new X509Certificate(block);
  } catch {
    throw new CaCertificateError('The CA certificate could not be read');
  }
}
