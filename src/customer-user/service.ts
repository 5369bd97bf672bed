import type { DbRecordStore } from '../backends/db/record-store';
import type { TableColumns } from '../backends/db/table-columns';
import type { Actor, ChangeWriter, FieldChange, WriteScope } from '../changes/change-writer';
import type { CustomerUserBackendConfig } from '../config/semantics';
import type { CustomerIdReferences, CustomerService } from '../customer/service';
import type { Db } from '../db/client';
import { lockKeys } from '../db/locks';
import { badInput, conflict, DomainError, notFound } from '../errors';
import type { FieldDef } from '../field-map/field-def';
import { diffValues } from '../records/diff';
import { normaliseIdentifier } from '../records/identifier';
import { checkInputValues, invalidInput, type InputIssue } from '../records/input-values';
import { insertOrConflict } from '../records/insert-or-conflict';
import type { FieldValue, FieldValues, RecordPage, RecordQuery, StoredRecord } from '../records/types';
import { VALID_ID } from '../records/validity';
import { assertVersion, type UpdateOptions } from '../records/version';
import { moveCustomerIdReferences, moveLoginReferences } from '../relations/rename-cascade';
import { emailProblem, type EmailCheckSettings } from './email-address';
import type { PasswordHasher } from '../passwords/hash-pool';
import { checkPassword, hashChecked, type CheckedPassword, type PasswordChange, type PasswordSettings } from './passwords';

/** One configured customer-user backend (`CustomerUser`, later `CustomerUser1` … `CustomerUser10`). */
export interface CustomerUserBackend {
  readonly config: CustomerUserBackendConfig;
  readonly store: DbRecordStore;
  /** Column types and lengths, for refusing bad values before they reach the database. */
  readonly columns: TableColumns;
}

export interface CustomerUserServiceSettings {
  readonly email: EmailCheckSettings;
  readonly passwords: PasswordSettings;
  readonly hasher: PasswordHasher;
}

interface UpdatePlan {
  readonly backend: CustomerUserBackend;
  readonly before: StoredRecord;
  readonly values: Record<string, FieldValue>;
  readonly oldLogin: string;
  readonly newLogin: string;
  /** False when the patch changes nothing: the update then answers the record as it is. */
  readonly changes: boolean;
}

type Input = Readonly<Record<string, FieldValue | undefined>>;

export interface CreatedCustomerUser {
  readonly record: StoredRecord;
  readonly generatedPassword: string | null;
}

/**
 * Customer users across the configured backends: lookups go to the backends in order (the first
 * that knows a login wins, as in OTOBO); writes enforce OTOBO's rules plus ours (case-insensitive
 * login and email uniqueness across backends, full rename cascades, patch semantics).
 */
export class CustomerUserService implements CustomerIdReferences {
  constructor(
    private readonly backends: readonly CustomerUserBackend[],
    private readonly customers: CustomerService,
    private readonly writer: ChangeWriter,
    private readonly settings: CustomerUserServiceSettings,
  ) {}

  /** The Map the GraphQL schema is generated from. */
  get fields(): readonly FieldDef[] {
    return this.primary.config.fields;
  }

  get primary(): CustomerUserBackend {
    return this.backends[0]!;
  }

  /** Records for the given logins (case-insensitive), asking each backend only for what is still missing. */
  async getByLogins(logins: readonly string[], executor?: Db, options: { readonly forUpdate?: boolean } = {}): Promise<StoredRecord[]> {
    const found: StoredRecord[] = [];
    let missing = [...new Set(logins.map((l) => normaliseIdentifier(l).toLowerCase()))];
    for (const backend of this.backends) {
      if (missing.length === 0) break;
      const records = await backend.store.getByKeys(missing, executor, options);
      found.push(...records);
      const resolved = new Set(records.map((r) => String(r.values.UserLogin).toLowerCase()));
      missing = missing.filter((login) => !resolved.has(login));
    }
    return found;
  }

  /**
   * Records for the given logins with their primary customers, read in one statement where one
   * database table holds all users (with CustomerCompanySupport); null where it can't be joined
   * (several backends: then the customers are looked up on their own).
   */
  async getByLoginsWithCustomers(logins: readonly string[]): Promise<{ record: StoredRecord; related: StoredRecord | null }[] | null> {
    if (this.backends.length !== 1 || !this.primary.config.CustomerCompanySupport) return null;
    const keys = [...new Set(logins.map((l) => normaliseIdentifier(l).toLowerCase()))];
    return this.primary.store.getByKeysWithRelated(keys, this.customers.store, 'UserCustomerID');
  }

  async getByLogin(login: string, executor?: Db): Promise<StoredRecord | null> {
    return (await this.getByLogins([login], executor))[0] ?? null;
  }

  search(query: RecordQuery): Promise<RecordPage> {
    return this.primary.store.search(query);
  }

  async create(input: Input, actor: Actor): Promise<CreatedCustomerUser> {
    const backend = this.writableBackend();
    const { fields } = backend.config;
    const { values, issues } = checkInputValues(fields, { ValidID: VALID_ID, ...input }, 'create', backend.columns);
    issues.push(...this.emailIssues(values));
    if (issues.length > 0) throw invalidInput(issues);
    const checked = checkPassword(fields, input.UserPassword, 'create', this.settings.passwords);
    // Only a write that would pass pays for the hash; it runs outside the transaction so that no
    // locks are held through it, and the checks are repeated under the locks.
    if (checked.clear !== undefined) await this.checkCreate(backend, values);
    const password = await this.hash(checked);
    const login = values.UserLogin as string;

    return this.writer.write(actor, async (scope) => {
      const { tx } = scope;
      await this.checkCreate(backend, values, tx);
      await insertOrConflict(
        () => backend.store.insert({ ...values, ...storedPassword(password) }, actor.agentId, tx),
        'The customer user',
      );
      scope.record({
        entityType: 'CustomerUser',
        key: login,
        action: 'create',
        changes: { ...diffValues(fields, null, values), ...passwordAudit(fields, password) },
      });
      return { record: (await backend.store.getByKeys([login], tx))[0]!, generatedPassword: password.generated };
    });
  }

  async update(given: string, patch: Input, actor: Actor, options: UpdateOptions = {}): Promise<StoredRecord> {
    const login = normaliseIdentifier(given);
    // The one-statement patch cannot compare versions (a digest computed here), so a versioned
    // update takes the locked path.
    if (options.expectedVersion === undefined && this.isPlainPatch(patch)) return this.updatePlainFields(login, patch, actor);
    const checked = checkPassword(this.fields, patch.UserPassword, 'update', this.settings.passwords);
    // As in create: check before hashing, outside the transaction, and again under the locks.
    if (checked.clear !== undefined) await this.checkUpdate(login, patch, true, options);
    const password = await this.hash(checked);

    return this.writer.write(actor, async (scope) => {
      const { tx } = scope;
      const plan = await this.checkUpdate(login, patch, password.stored !== undefined, options, tx);
      const { backend, before, values, oldLogin, newLogin } = plan;
      if (!plan.changes) return before;
      const updated = await insertOrConflict(
        () => backend.store.update(oldLogin, { ...values, ...storedPassword(password) }, actor.agentId, tx),
        'The customer user',
      );
      if (!updated) throw notFound(`No customer user with login "${login}"`, { field: 'login' });
      if (newLogin !== oldLogin) await moveLoginReferences(tx, oldLogin, newLogin);
      scope.record({
        entityType: 'CustomerUser',
        key: newLogin,
        previousKey: oldLogin,
        action: 'update',
        changes: { ...diffValues(backend.config.fields, before.values, values), ...passwordAudit(backend.config.fields, password) },
      });
      return (await backend.store.getByKeys([newLogin], tx))[0]!;
    });
  }

  /**
   * Patches touching only plain fields (phone, names, title, address, admin-added columns …) need
   * no check against other records and no rename cascade, so they are written and audited in a
   * single statement: one round trip, the row lock its only lock (writers of one user still take turns).
   */
  private isPlainPatch(patch: Input): boolean {
    if (this.backends.length !== 1 || this.primary.config.ReadOnly) return false;
    const fields = this.primary.config.fields;
    return Object.keys(patch).every((attribute) => {
      const field = fields.find((f) => f.attribute === attribute);
      return field?.role === 'plain' && fields.filter((f) => f.storage === field.storage).length === 1;
    });
  }

  private async updatePlainFields(login: string, patch: Input, actor: Actor): Promise<StoredRecord> {
    const backend = this.primary;
    const { values, issues } = checkInputValues(backend.config.fields, patch, 'update', backend.columns);
    if (issues.length > 0) throw invalidInput(issues);
    const missing = () => notFound(`No customer user with login "${login}"`, { field: 'login' });
    if (Object.keys(values).length === 0) return (await this.getByLogin(login)) ?? Promise.reject(missing());
    return this.writer.writeInOneStatement(async () => {
      const patched = await insertOrConflict(
        () => backend.store.patchAudited(login, values, { entityType: 'CustomerUser', actor }),
        'The customer user',
      );
      if (!patched) throw missing();
      const key = patched.record.values.UserLogin as string;
      return { result: patched.record, change: { entityType: 'CustomerUser', key, action: 'update', changes: patched.changes } };
    });
  }

  /** A CustomerID rename reaches every user whose primary customer it is, in every writable backend. */
  async renameCustomerId(scope: WriteScope, oldId: string, newId: string): Promise<void> {
    for (const backend of this.backends.filter((b) => !b.config.ReadOnly)) {
      const logins = await backend.store.updateWhereEquals(
        'UserCustomerID',
        oldId,
        { UserCustomerID: newId },
        scope.actor.agentId,
        scope.tx,
      );
      const field = backend.config.fields.find((f) => f.role === 'customerId')!.graphqlName;
      for (const login of logins) {
        scope.record({ entityType: 'CustomerUser', key: login, action: 'update', changes: { [field]: { old: oldId, new: newId } } });
      }
    }
    await moveCustomerIdReferences(scope.tx, oldId, newId);
  }

  /**
   * Everything a create checks against stored data. In the write transaction (tx) it takes the key
   * locks first; without tx it is the unlocked pre-check before hashing.
   */
  private async checkCreate(backend: CustomerUserBackend, values: Record<string, FieldValue>, tx?: Db): Promise<void> {
    values.UserCustomerID = await this.existingCustomerId(backend, values.UserCustomerID as string, tx);
    const login = values.UserLogin as string;
    await lockIn(tx, 'login', [login]);
    await this.assertLoginFree(login, tx);
    if (typeof values.UserEmail === 'string') {
      await lockIn(tx, 'email', [values.UserEmail]);
      await this.assertEmailFree(values.UserEmail, null, tx);
    }
  }

  /** Everything an update checks, locked in the transaction (tx) or as the unlocked pre-check. */
  private async checkUpdate(login: string, patch: Input, changesPassword: boolean, options: UpdateOptions, tx?: Db): Promise<UpdatePlan> {
    // Locked before reading: concurrent writers of one user take turns, each applying its patch to
    // the other's result (no lost update, no history diffed against stale data).
    await lockIn(tx, 'login', [login]);
    const { backend, record: before } = await this.locate(login, tx);
    assertVersion(before, options.expectedVersion, `The customer user "${String(before.values.UserLogin)}"`);
    if (backend.config.ReadOnly) throw readOnly(backend);
    const { values, issues } = checkInputValues(backend.config.fields, patch, 'update', backend.columns);
    if (issues.length > 0) throw invalidInput(issues);
    const oldLogin = before.values.UserLogin as string;
    const newLogin = (values.UserLogin as string | undefined) ?? oldLogin;
    const plan = { backend, before, values, oldLogin, newLogin, changes: Object.keys(values).length > 0 || changesPassword };
    if (!plan.changes) return plan;
    const merged: FieldValues = { ...before.values, ...values };
    const emailIssues = 'UserEmail' in values || 'ValidID' in values ? this.emailIssues(merged) : [];
    if (emailIssues.length > 0) throw invalidInput(emailIssues);

    if (newLogin.toLowerCase() !== oldLogin.toLowerCase()) {
      await lockIn(tx, 'login', [newLogin]);
      await this.assertLoginFree(newLogin, tx);
    }
    if (typeof values.UserCustomerID === 'string' && values.UserCustomerID !== before.values.UserCustomerID) {
      values.UserCustomerID = await this.existingCustomerId(backend, values.UserCustomerID, tx);
    }
    const newEmail = values.UserEmail;
    if (typeof newEmail === 'string' && newEmail.toLowerCase() !== String(before.values.UserEmail ?? '').toLowerCase()) {
      await lockIn(tx, 'email', [newEmail]);
      await this.assertEmailFree(newEmail, oldLogin, tx);
    }
    return plan;
  }

  private hash(password: CheckedPassword): Promise<PasswordChange> {
    return hashChecked(password, this.settings.hasher, this.settings.passwords.bcryptCost);
  }

  /** In a transaction the user's row stays locked until it ends: one-statement patches wait for it. */
  private async locate(login: string, tx?: Db): Promise<{ backend: CustomerUserBackend; record: StoredRecord }> {
    const [record] = await this.getByLogins([login], tx, { forUpdate: tx !== undefined });
    const backend = this.backends.find((b) => b.config.id === record?.source);
    if (!record || !backend) throw notFound(`No customer user with login "${login}"`, { field: 'login' });
    return { backend, record };
  }

  private writableBackend(): CustomerUserBackend {
    const backend = this.backends.find((b) => !b.config.ReadOnly);
    if (!backend) throw readOnly(this.primary);
    return backend;
  }

  /**
   * With CustomerCompanySupport the CustomerID must name an existing customer — so, as in
   * OTOBO's admin screen, customers come first. The customer's own spelling of its ID is stored.
   */
  private async existingCustomerId(backend: CustomerUserBackend, customerId: string, tx?: Db): Promise<string> {
    if (!backend.config.CustomerCompanySupport) return customerId;
    // Held until commit: a concurrent rename of this customer waits, or is waited for.
    await lockIn(tx, 'customer-id', [customerId]);
    const customer = await this.customers.getById(customerId, tx);
    if (customer) return customer.values.CustomerID as string;
    if (await this.customers.isEmpty(tx)) {
      throw badInput('No customer exists yet: create a customer (createCustomer) before adding customer users', {
        field: 'customerId',
        reason: 'NO_CUSTOMER_EXISTS',
      });
    }
    throw badInput(`No customer with CustomerID "${customerId}" exists`, { field: 'customerId', reason: 'UNKNOWN_CUSTOMER' });
  }

  private async assertLoginFree(login: string, tx?: Db): Promise<void> {
    if (await this.getByLogin(login, tx)) {
      throw conflict(`A customer user with login "${login}" already exists`, { field: 'login' });
    }
  }

  /** OTOBO checks per backend when CustomerUserEmailUniqCheck is set; we check every backend that does. */
  private async assertEmailFree(email: string, ownLogin: string | null, tx?: Db): Promise<void> {
    for (const backend of this.backends.filter((b) => b.config.CustomerUserEmailUniqCheck)) {
      const holders = await backend.store.keysByEmail(email, tx);
      if (holders.some((login) => ownLogin === null || login.toLowerCase() !== ownLogin.toLowerCase())) {
        throw conflict(`The email address "${email}" is already used by another customer user`, { field: 'email' });
      }
    }
  }

  /** OTOBO checks the syntax of valid users' addresses only. */
  private emailIssues(values: FieldValues): InputIssue[] {
    const email = values.UserEmail;
    if (typeof email !== 'string' || values.ValidID !== VALID_ID) return [];
    const problem = emailProblem(email, this.settings.email);
    const field = this.fields.find((f) => f.role === 'email')!.graphqlName;
    return problem ? [{ field, message: problem }] : [];
  }
}

/** Key locks inside the write transaction; the unlocked pre-check (no tx) takes none. */
async function lockIn(tx: Db | undefined, namespace: string, keys: readonly string[]): Promise<void> {
  if (tx) await lockKeys(tx, namespace, keys);
}

function storedPassword(change: PasswordChange): Record<string, FieldValue> {
  return change.stored === undefined ? {} : { UserPassword: change.stored };
}

/** Password changes are audited without any value. */
function passwordAudit(fields: readonly FieldDef[], change: PasswordChange): Record<string, FieldChange> {
  const row = fields.find((f) => f.role === 'password');
  if (!row || change.stored === undefined) return {};
  return { [row.graphqlName]: { old: null, new: change.stored === null ? '(removed)' : '(set)' } };
}

function readOnly(backend: CustomerUserBackend): DomainError {
  return new DomainError('READ_ONLY_BACKEND', `The customer-user backend "${backend.config.Name}" is read-only`);
}
