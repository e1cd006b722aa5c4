import { createHmac, timingSafeEqual } from 'node:crypto';

const signaturePattern = /^sha256=([0-9a-f]{64})$/i;

/**
 * Whether `X-Hub-Signature` is an HMAC-SHA256 of the exact bytes under
 * one of the secrets. Every secret is tried, so the time taken does not
 * say which one matched, or whether any did.
 */
export function signatureMatches(
  header: string | undefined,
  raw: Buffer,
  secrets: readonly string[],
): boolean {
  const given = signaturePattern.exec(header?.trim() ?? '')?.[1];
  const expected = Buffer.from(given ?? '0'.repeat(64), 'hex');

  let matched = false;
  for (const secret of secrets) {
    const digest = createHmac('sha256', secret).update(raw).digest();
    if (timingSafeEqual(digest, expected)) matched = true;
  }

  return matched && given !== undefined;
}

/** The header a sender puts on a body, for tests and tools. */
export function signatureOf(raw: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}
