import type { Db } from '../db/client';
import type { FieldDef } from '../field-map/field-def';
import type { InputIssue } from '../records/input-values';
import type { FieldValue, RecordPage, RecordQuery, StoredRecord } from '../records/types';

/**
 * The one interface every customer-user backend implements (`CustomerUser`, `CustomerUser1` …
 * `CustomerUser10`): a database table or an LDAP directory. Everything here speaks Map attributes
 * (`UserLogin`, `UserEmail`, `room` …); only the backend knows its storage names (columns, LDAP
 * attributes). Records carry `source` = the backend's id.
 */
export interface CustomerUserBackend {
  /** The config key: `CustomerUser`, `CustomerUser1` … `CustomerUser10`. */
  readonly id: string;
  /** The config's `Name`, for messages. */
  readonly name: string;
  /** The backend's Map, password row included. */
  readonly fields: readonly FieldDef[];
  /** Refuses create, update and password changes (READ_ONLY_BACKEND). */
  readonly readOnly: boolean;
  /** CustomerCompanySupport: a user's CustomerID must name an existing customer. */
  readonly customerCompanySupport: boolean;
  /** CustomerUserEmailUniqCheck: this backend's emails take part in the uniqueness check. */
  readonly emailUniqueCheck: boolean;

  /**
   * Checks and normalises input values (by Map attribute) against this backend's rows and its
   * storage's limits (column lengths, integer ranges) before anything is written.
   */
  checkValues(given: Readonly<Record<string, FieldValue | undefined>>, mode: 'create' | 'update'): { values: Record<string, FieldValue>; issues: InputIssue[] };

  /**
   * Records whose login equals one of `logins` case-insensitively, in any order, unknown logins
   * left out. `executor`/`forUpdate` only mean something to a backend in the server's own
   * database (it then reads inside the caller's transaction and locks the rows).
   */
  getByLogins(logins: readonly string[], options?: BackendReadOptions): Promise<StoredRecord[]>;

  /** Logins of the records whose email ("postmaster") attributes equal `email`, case-insensitively. */
  loginsByEmail(email: string, options?: BackendReadOptions): Promise<string[]>;

  /** One page of matches in the query's order; `hasMore` whenever more exist (never silently cut). */
  search(query: RecordQuery): Promise<RecordPage>;

  /**
   * Checks a login's password. `bad-credentials` for an unknown login or a wrong password; throws
   * BACKEND_UNAVAILABLE when it cannot tell (never reports an outage as bad credentials).
   */
  authenticate(login: string, password: string): Promise<'ok' | 'bad-credentials'>;

  /** Writable backends only (readOnly false). Values by Map attribute; UserPassword already hashed. */
  insert?(values: Readonly<Record<string, FieldValue>>, write: BackendWrite): Promise<void>;
  /** False when no record has this login. */
  update?(login: string, values: Readonly<Record<string, FieldValue>>, write: BackendWrite): Promise<boolean>;
  /** Sets UserCustomerID `newId` on every record whose UserCustomerID is `oldId` (case-insensitively); their logins. */
  replaceCustomerId?(oldId: string, newId: string, write: BackendWrite): Promise<string[]>;

  /**
   * Called after every write through this server that may have changed these logins' records (all
   * of them: 'all'), once it committed or failed: a caching backend forgets them and its searches.
   */
  changed?(logins: readonly string[] | 'all'): void;

  close(): Promise<void>;
}

export interface BackendReadOptions {
  readonly executor?: Db;
  readonly forUpdate?: boolean;
}

/** The write's context: the server database's transaction (audit rows go there) and the agent. */
export interface BackendWrite {
  readonly tx: Db;
  readonly agentId: number;
  /**
   * Runs `step` as the transaction's final work, after the audit rows: how a backend writing
   * elsewhere (another database, a directory) orders its write, so that its failure rolls the
   * audit back and its success is followed only by the commit.
   */
  last(step: () => Promise<void>): void;
}
