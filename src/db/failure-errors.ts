import { DomainError } from '../errors';
import { databaseUnavailable, failureCodes, type DatabaseAvailability } from './availability';

const QUERY_CANCELED = '57014'; // statement_timeout (or a cancel request: the client is gone then)

/**
 * A database failure that has a stable code for clients, or null for an unexpected one (masked as
 * INTERNAL_SERVER_ERROR). An unreachable database is also reported to the availability tracker.
 */
export function databaseFailureError(error: unknown, availability: DatabaseAvailability): DomainError | null {
  if (availability.noteFailure(error)) return databaseUnavailable();
  if (failureCodes(error).includes(QUERY_CANCELED)) {
    return new DomainError(
      'TIMEOUT',
      'The request ran longer than the statement timeout (database.statementTimeoutMs) and was cancelled; narrow it, e.g. a more specific search or a smaller limit',
      { reason: 'STATEMENT_TIMEOUT' },
    );
  }
  return null;
}
