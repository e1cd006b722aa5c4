import { ConnectorError } from './connector-errors.js';

/** The exchange ran past its deadline. */
export class TimeoutSignal extends ConnectorError {
  constructor(timeoutMs: number) {
    super('timeout', `no answer within ${timeoutMs} ms`);
  }
}

/** The server closed the connection mid-exchange; trying again may work. */
export class ConnectionResetError extends ConnectorError {
  constructor(options?: { cause?: unknown }) {
    super('unreachable', 'the connection was reset', options);
  }
}

const certificateCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'EPROTO',
]);

const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Translates what Node's sockets, TLS and HTTP parser throw into the
 * reasons an admin can act on. Only the error code is kept as detail:
 * driver messages may quote what the server sent.
 */
export function connectionFailure(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;

  const code = codeOf(error);
  if (isCertificateCode(code)) {
    return new ConnectorError('tls', code, { cause: error });
  }
  if (resetCodes.has(code)) return new ConnectionResetError({ cause: error });
  if (code.startsWith('HPE_')) {
    return new ConnectorError('not_jira', 'the answer is not HTTP', {
      cause: error,
    });
  }

  return new ConnectorError('unreachable', code, { cause: error });
}

function isCertificateCode(code: string): boolean {
  return (
    certificateCodes.has(code) ||
    /^(CERT_|ERR_TLS_|ERR_SSL_|ERR_OSSL_)/.test(code)
  );
}

function codeOf(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? error.code
      : undefined;

  return typeof code === 'string' && code !== '' ? code : 'connection failed';
}
