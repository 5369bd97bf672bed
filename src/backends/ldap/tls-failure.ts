import { ResultCodeError } from 'ldapts';

/**
 * What went wrong while securing a directory connection (StartTLS on ldap://, the handshake of
 * ldaps://), for the BACKEND_UNAVAILABLE error's `reason` and message. Every such failure ends
 * the attempt: the connection is dropped and nothing is sent in clear text, the bind least of all.
 *
 * - `TLS_REQUIRED`: StartTLS is configured and the server refused it (no certificate, StartTLS
 *   unsupported), answering the extended operation with an LDAP result code.
 * - `TLS`: the handshake failed (certificate not trusted, not for the configured host, expired,
 *   protocol mismatch), or did not complete within ConnectTimeoutMs.
 */
export type TlsFailureReason = 'TLS' | 'TLS_REQUIRED';

export interface TlsFailure {
  readonly reason: TlsFailureReason;
  /** For the error message: names no secret (certificates are public, the bind password never reaches this far). */
  readonly why: string;
}

/** Node's codes for a certificate its CA list (or Params.TLS.CAFile) does not vouch for. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const OUT_OF_DATE = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

export type TlsPhase = 'starttls' | 'handshake';

/**
 * The failure of a TLS phase as a TlsFailure. `phase` says where it happened: the StartTLS
 * extended operation (a server's refusal is TLS_REQUIRED) or the handshake (always TLS).
 */
export function classifyTlsFailure(error: unknown, phase: TlsPhase, host: string): TlsFailure {
  if (error instanceof ResultCodeError && phase === 'starttls') {
    return { reason: 'TLS_REQUIRED', why: `StartTLS is required (Params.StartTLS) but the directory refused it (LDAP result ${error.code}: ${error.message}); nothing was sent in clear text` };
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code === 'string' && UNTRUSTED.has(code)) {
    return { reason: 'TLS', why: `the directory's certificate is not trusted (${code}); name the CA that signed it in Params.TLS.CAFile` };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { reason: 'TLS', why: `the directory's certificate is not for the configured Host ${host} (${text})` };
  }
  if (typeof code === 'string' && OUT_OF_DATE.has(code)) {
    return { reason: 'TLS', why: `the directory's certificate is out of date (${code})` };
  }
  return { reason: 'TLS', why: `the TLS ${phase === 'starttls' ? 'upgrade (StartTLS)' : 'handshake'} failed (${typeof code === 'string' ? `${code}: ` : ''}${text})` };
}

/** A TLS phase that did not finish within ConnectTimeoutMs. */
export function tlsTimeout(phase: TlsPhase, timeoutMs: number): TlsFailure {
  const what = phase === 'starttls' ? 'StartTLS (the extended operation and the handshake)' : 'the ldaps:// TLS handshake';
  return { reason: 'TLS', why: `${what} did not complete within ConnectTimeoutMs (${timeoutMs} ms)` };
}
