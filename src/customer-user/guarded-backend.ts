import type { Logger } from '../logger';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors';
import { backendUnavailable, DomainError } from '../errors';
import type { BackendReadOptions, BackendWrite, CustomerUserBackend } from './backend';
import type { FieldValue, RecordQuery } from '../records/types';

/**
 * A backend with a connection of its own (external DSN, LDAP) whose every call is bounded by its
 * timeout and whose every failure becomes BACKEND_UNAVAILABLE naming it: an outage there is never
 * mistaken for the server database's (DATABASE_UNAVAILABLE) nor masked as an internal error. No
 * state is kept: the next call tries again, so a backend that comes back is used at once.
 */
export class GuardedBackend implements CustomerUserBackend {
  constructor(
    private readonly inner: CustomerUserBackend,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  get id() { return this.inner.id; }
  get name() { return this.inner.name; }
  get fields() { return this.inner.fields; }
  get readOnly() { return this.inner.readOnly; }
  get customerCompanySupport() { return this.inner.customerCompanySupport; }
  get emailUniqueCheck() { return this.inner.emailUniqueCheck; }

  checkValues(given: Readonly<Record<string, FieldValue | undefined>>, mode: 'create' | 'update') {
    return this.inner.checkValues(given, mode);
  }

  getByLogins(logins: readonly string[], options?: BackendReadOptions) {
    return this.guard('lookup', () => this.inner.getByLogins(logins, options));
  }

  loginsByEmail(email: string, options?: BackendReadOptions) {
    return this.guard('email lookup', () => this.inner.loginsByEmail(email, options));
  }

  search(query: RecordQuery) {
    return this.guard('search', () => this.inner.search(query));
  }

  authenticate(login: string, password: string) {
    return this.guard('authentication', () => this.inner.authenticate(login, password));
  }

  get insert() {
    const insert = this.inner.insert?.bind(this.inner);
    return insert && ((values: Readonly<Record<string, FieldValue>>, write: BackendWrite) => this.guard('insert', () => insert(values, this.guardedWrite(write))));
  }

  get update() {
    const update = this.inner.update?.bind(this.inner);
    return update && ((login: string, values: Readonly<Record<string, FieldValue>>, write: BackendWrite) => this.guard('update', () => update(login, values, this.guardedWrite(write))));
  }

  get replaceCustomerId() {
    const replace = this.inner.replaceCustomerId?.bind(this.inner);
    return replace && ((oldId: string, newId: string, write: BackendWrite) => this.guard('CustomerID rename', () => replace(oldId, newId, this.guardedWrite(write))));
  }

  close() {
    return this.inner.close();
  }

  /** Deferred write steps are guarded as well: they run after the call returned. */
  private guardedWrite(write: BackendWrite): BackendWrite {
    return { ...write, last: (step) => write.last(() => this.guard('write', step)) };
  }

  private async guard<T>(what: string, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (error) {
      // Our own refusals and unique violations (CONFLICT, see insertOrConflict) pass; everything else is the backend failing.
      if (error instanceof DomainError && error.code === 'BACKEND_UNAVAILABLE') {
        // The backend's own diagnosis (an LDAP TLS or bind refusal …): logged like any outage.
        this.logger.warn(`customer-user backend ${this.id}: ${what} failed (${error.message})`);
        throw error;
      }
      if (error instanceof DomainError || sqlState(error) === UNIQUE_VIOLATION) throw error;
      this.logger.warn(`customer-user backend ${this.id}: ${what} failed (${error instanceof Error ? error.message : String(error)})`);
      throw backendUnavailable(this);
    } finally {
      clearTimeout(timer);
    }
  }
}
