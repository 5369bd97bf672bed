import { GraphQLError } from 'graphql';

/** The stable `extensions.code` values clients can rely on. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'READ_ONLY_BACKEND'
  /** A customer-user backend with a connection of its own (external DSN, LDAP) did not answer in time; `backend` names it. */
  | 'BACKEND_UNAVAILABLE'
  /** The database cannot be reached; retryable (HTTP 503). */
  | 'DATABASE_UNAVAILABLE'
  /** A statement ran longer than database.statementTimeoutMs (reason STATEMENT_TIMEOUT). */
  | 'TIMEOUT'
  /** The client went away while its search ran; the statement was cancelled (nobody reads this answer). */
  | 'CLIENT_GONE'

  /** A configured-off feature was asked for (e.g. customer groups with CustomerGroupSupport 0). */
  | 'FEATURE_DISABLED'

  | 'BUSY';

export interface ErrorDetails {
  /** The input field at fault, as named in the GraphQL input (e.g. `email`). */
  readonly field?: string;
  /** A finer, equally stable reason where one code covers several cases. */
  readonly reason?: string;
  /** The customer-user backend concerned (its config key), for READ_ONLY_BACKEND and BACKEND_UNAVAILABLE. */
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

/**
 * The search of a client that went away (the request's signal aborted): its statement was
 * cancelled, or it never started. Nobody reads this answer; like every DomainError it is not logged.
 */
export function clientGone(): DomainError {
  return new DomainError('CLIENT_GONE', 'The client went away before the answer was ready; its search was cancelled');
}

/** A customer-user backend that failed or timed out; lookups and searches report it beside the others' data. */
export function backendUnavailable(backend: { readonly id: string; readonly name: string }): DomainError {
  return new DomainError('BACKEND_UNAVAILABLE', `The customer-user backend ${backend.id} ("${backend.name}") is not reachable at the moment; its users are missing from this answer`, { backend: backend.id });
}

export function readOnlyBackend(backend: { readonly id: string; readonly name: string }): DomainError {
  return new DomainError('READ_ONLY_BACKEND', `The customer-user backend ${backend.id} ("${backend.name}") is read-only`, { backend: backend.id });
}

/** A writable backend that only updates (an LDAP directory): its users are created in its own storage. */
export function createUnsupported(backend: { readonly id: string; readonly name: string }): DomainError {
  return new DomainError('READ_ONLY_BACKEND', `The customer-user backend ${backend.id} ("${backend.name}") cannot create customer users; create them in the directory`, {
    backend: backend.id,
    reason: 'CREATE_UNSUPPORTED',
  });
}
