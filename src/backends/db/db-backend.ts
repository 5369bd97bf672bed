import type { DbUserBackendConfig } from '../../config/semantics';
import type { BackendReadOptions, BackendWrite, CustomerUserBackend } from '../../customer-user/backend';
import type { Database } from '../../db/client';
import { verifyPassword } from '../../passwords/verify';
import { checkInputValues } from '../../records/input-values';
import type { FieldValue, RecordPage, RecordQuery, StoredRecord } from '../../records/types';
import type { DbRecordStore } from './record-store';
import type { TableColumns } from './table-columns';

/**
 * A customer-user table as a backend: in the server's own database, or (Params.DSN) in a
 * PostgreSQL of its own. Only the former reads inside the caller's transaction and writes in it;
 * the latter writes on its own connection as the write's last step (see BackendWrite.last).
 */
export class DbCustomerUserBackend implements CustomerUserBackend {
  constructor(
    readonly config: DbUserBackendConfig,
    readonly store: DbRecordStore,
    readonly columns: TableColumns,
    /** The backend's own database (Params.DSN), closed with it; null: the server's. */
    private readonly ownDatabase: Database | null,
  ) {}

  get id(): string {
    return this.config.id;
  }

  get name(): string {
    return this.config.Name;
  }

  get fields() {
    return this.config.fields;
  }

  get readOnly(): boolean {
    return this.config.ReadOnly;
  }

  get customerCompanySupport(): boolean {
    return this.config.CustomerCompanySupport;
  }

  get emailUniqueCheck(): boolean {
    return this.config.CustomerUserEmailUniqCheck;
  }

  /** In the server's database: joins, transactions and one-statement patches are possible. */
  get inServerDatabase(): boolean {
    return this.ownDatabase === null;
  }

  checkValues(given: Readonly<Record<string, FieldValue | undefined>>, mode: 'create' | 'update') {
    return checkInputValues(this.fields, given, mode, this.columns);
  }

  getByLogins(logins: readonly string[], options: BackendReadOptions = {}): Promise<StoredRecord[]> {
    if (!this.inServerDatabase) return this.store.getByKeys(logins);
    return this.store.getByKeys(logins, options.executor, { forUpdate: options.forUpdate });
  }

  loginsByEmail(email: string, options: BackendReadOptions = {}): Promise<string[]> {
    return this.store.keysByEmail(email, this.inServerDatabase ? options.executor : undefined);
  }

  search(query: RecordQuery): Promise<RecordPage> {
    return this.store.search(query);
  }

  async authenticate(login: string, password: string): Promise<'ok' | 'bad-credentials'> {
    const stored = await this.store.storedValue(login, 'UserPassword');
    return (await verifyPassword(password, stored)) ? 'ok' : 'bad-credentials';
  }

  async insert(values: Readonly<Record<string, FieldValue>>, write: BackendWrite): Promise<void> {
    if (this.inServerDatabase) return this.store.insert(values, write.agentId, write.tx);
    write.last(() => this.store.insert(values, write.agentId));
  }

  async update(login: string, values: Readonly<Record<string, FieldValue>>, write: BackendWrite): Promise<boolean> {
    if (this.inServerDatabase) return this.store.update(login, values, write.agentId, write.tx);
    // The record was read (and its login locked) in this write: a vanished row is an outside edit,
    // reported when the last step finds nothing to update.
    write.last(async () => {
      if (!(await this.store.update(login, values, write.agentId))) throw new Error(`${this.id}: record "${login}" vanished during the update`);
    });
    return true;
  }

  async replaceCustomerId(oldId: string, newId: string, write: BackendWrite): Promise<string[]> {
    if (this.inServerDatabase) return this.store.updateWhereEquals('UserCustomerID', oldId, { UserCustomerID: newId }, write.agentId, write.tx);
    const logins = await this.store.keysWithValue('UserCustomerID', oldId);
    write.last(async () => void (await this.store.updateWhereEquals('UserCustomerID', oldId, { UserCustomerID: newId }, write.agentId)));
    return logins;
  }

  async close(): Promise<void> {
    await this.ownDatabase?.close();
  }
}
