import { sqlState, UNIQUE_VIOLATION } from '../db/errors';
import { conflict } from '../errors';

/**
 * Our checks run under advisory locks, but a writer outside this server (or another backend
 * sharing the table) can still win a race; the database's unique indexes then have the last
 * word, and the client gets the same CONFLICT it would have got from the check.
 */
export async function insertOrConflict<T>(write: () => Promise<T>, what: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) throw conflict(`${what} conflicts with an existing record`);
    throw error;
  }
}
