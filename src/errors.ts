import { GraphQLError } from 'graphql';

/** The stable `extensions.code` values clients can rely on. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'READ_ONLY_BACKEND'
  /** A customer-user backend (an LDAP directory) cannot answer now; retryable. Names it in `extensions.backend`. */
  | 'BACKEND_UNAVAILABLE'
  /** The database cannot be reached; retryable (HTTP 503). */
  | 'DATABASE_UNAVAILABLE'
  /** A statement ran longer than database.statementTimeoutMs (reason STATEMENT_TIMEOUT). */
  | 'TIMEOUT'

  /** A configured-off feature was asked for (e.g. customer groups with CustomerGroupSupport 0). */
  | 'FEATURE_DISABLED'

  | 'BUSY';

export interface ErrorDetails {
  /** The input field at fault, as named in the GraphQL input (e.g. `email`). */
  readonly field?: string;
  /** A finer, equally stable reason where one code covers several cases. */
  readonly reason?: string;
  /** The backend at fault (`CustomerUser`, `CustomerUser1` …), for backend errors. */
  readonly backend?: string;
}

/**
 * A failure the client caused or must know about. Being a GraphQLError, yoga passes it through
 * unmasked with its code; every other error is masked as an internal error.
 */
export class DomainError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message, { extensions: { code, ...details } });
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, details?: ErrorDetails) => new DomainError('BAD_USER_INPUT', message, details);
export const notFound = (message: string, details?: ErrorDetails) => new DomainError('NOT_FOUND', message, details);
export const conflict = (message: string, details?: ErrorDetails) => new DomainError('CONFLICT', message, details);

/** A temporary overload (e.g. the password hashing queue is full): HTTP 503, safe to retry. */
export function busy(message: string): DomainError {
  const error = new DomainError('BUSY', message);
  Object.assign(error.extensions, { http: { status: 503, headers: { 'retry-after': '1' } } }); // yoga sets these and strips the key
  return error;
}
