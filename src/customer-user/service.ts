import { DbCustomerUserBackend } from '../backends/db/db-backend';
import type { Actor, ChangeWriter, FieldChange, WriteScope } from '../changes/change-writer';
import type { CustomerIdReferences, CustomerService } from '../customer/service';
import type { Db } from '../db/client';
import { lockKeys } from '../db/locks';
import { badInput, conflict, createUnsupported, notFound, readOnlyBackend } from '../errors';
import type { FieldDef } from '../field-map/field-def';
import { diffValues } from '../records/diff';
import { normaliseIdentifier } from '../records/identifier';
import { invalidInput, type InputIssue } from '../records/input-values';
import { insertOrConflict } from '../records/insert-or-conflict';
import type { FieldValue, FieldValues, RecordPage, RecordQuery, StoredRecord } from '../records/types';
import { VALID_ID } from '../records/validity';
import { assertVersion, type UpdateOptions } from '../records/version';
import { moveCustomerIdReferences, moveLoginReferences } from '../relations/rename-cascade';
import type { BackendWrite, CustomerUserBackend } from './backend';
import { emailProblem, type EmailCheckSettings } from './email-address';
import { mergedSearch, unlessUnavailable, type ReportUnavailable } from './merged-search';
import type { PasswordHasher } from '../passwords/hash-pool';
import { checkPassword, hashChecked, type CheckedPassword, type PasswordChange, type PasswordSettings } from './passwords';

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
  /**
   * The only backend, when it is an uncached table in the server's database: then a user and its
   * customer are read in one statement and plain patches are written and audited in one.
   */
  private readonly single: DbCustomerUserBackend | null;

  constructor(
    private readonly backends: readonly CustomerUserBackend[],
    /** The union of the backends' Maps (the GraphQL fields). */
    readonly fields: readonly FieldDef[],
    private readonly customers: CustomerService,
    private readonly writer: ChangeWriter,
    private readonly settings: CustomerUserServiceSettings,
  ) {
    const only = backends.length === 1 ? backends[0] : undefined;
    this.single = only instanceof DbCustomerUserBackend && only.inServerDatabase ? only : null;
  }

  get primary(): CustomerUserBackend {
    return this.backends[0]!;
  }

  /**
   * Records for the given logins (case-insensitive), asking each backend in order only for what is
   * still missing. With `report`, an unavailable backend is reported and the logins still missing
   * then stay unresolved (null): a later backend's namesake must not stand in for a user the
   * unavailable one may hold. Without it (writes) the outage fails the call.
   */
  async getByLogins(
    logins: readonly string[],
    executor?: Db,
    options: { readonly forUpdate?: boolean; readonly report?: ReportUnavailable } = {},
  ): Promise<StoredRecord[]> {
    const found: StoredRecord[] = [];
    let missing = [...new Set(logins.map((l) => normaliseIdentifier(l).toLowerCase()))];
    for (const backend of this.backends) {
      if (missing.length === 0) break;
      const records = await unlessUnavailable(() => backend.getByLogins(missing, { executor, forUpdate: options.forUpdate }), options.report);
      if (!records) break;
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
    if (!this.single?.customerCompanySupport) return null;
    const keys = [...new Set(logins.map((l) => normaliseIdentifier(l).toLowerCase()))];
    return this.single.store.getByKeysWithRelated(keys, this.customers.store, 'UserCustomerID');
  }

  async getByLogin(login: string, executor?: Db): Promise<StoredRecord | null> {
    return (await this.getByLogins([login], executor))[0] ?? null;
  }

  /** One backend answers directly; several are merged (merged-search.ts). */
  search(query: RecordQuery, report?: ReportUnavailable): Promise<RecordPage> {
    if (this.backends.length === 1) return this.primary.search(query);
    return mergedSearch(this.backends, query, this.fields, report);
  }

  /** The backend a record came from (its `source`). */
  backendOf(record: StoredRecord): CustomerUserBackend | undefined {
    return this.backends.find((b) => b.id === record.source);
  }

  /** Creates in `backendId` (a config key), by default the first writable backend. */
  async create(input: Input, actor: Actor, backendId?: string | null): Promise<CreatedCustomerUser> {
    const backend = this.writableBackend(backendId);
    const { fields } = backend;
    const { values, issues } = this.checkValues(backend, { ValidID: VALID_ID, ...input }, 'create');
    issues.push(...this.emailIssues(values));
    if (issues.length > 0) throw invalidInput(issues);
    const checked = checkPassword(fields, input.UserPassword, 'create', this.settings.passwords);
    // Only a write that would pass pays for the hash; it runs outside the transaction so that no
    // locks are held through it, and the checks are repeated under the locks.
    if (checked.clear !== undefined) await this.checkCreate(backend, values);
    const password = await this.hash(checked);
    const login = values.UserLogin as string;

    await insertOrConflict(
      () =>
        this.writer.write(actor, async (scope) => {
          await this.checkCreate(backend, values, scope.tx);
          await backend.insert!({ ...values, ...storedPassword(password) }, backendWrite(scope));
          scope.record({
            entityType: 'CustomerUser',
            key: login,
            action: 'create',
            changes: { ...diffValues(fields, null, values), ...passwordAudit(fields, password) },
          });
          scope.afterCommit(() => backend.changed?.([login]));
        }),
      'The customer user',
    );
    return { record: await this.readBack(backend, login), generatedPassword: password.generated };
  }

  async update(given: string, patch: Input, actor: Actor, options: UpdateOptions = {}): Promise<StoredRecord> {
    const login = normaliseIdentifier(given);
    // The one-statement patch cannot compare versions (a digest computed here), so a versioned
    // update takes the locked path.
    if (options.expectedVersion === undefined && this.isPlainPatch(patch)) return this.updatePlainFields(this.single!, login, patch, actor);
    const checked = checkPassword(this.fields, patch.UserPassword, 'update', this.settings.passwords);
    // As in create: check before hashing, outside the transaction, and again under the locks.
    if (checked.clear !== undefined) await this.checkUpdate(login, patch, true, options);
    const password = await this.hash(checked);

    const written = await insertOrConflict(
      () =>
        this.writer.write(actor, async (scope) => {
          const plan = await this.checkUpdate(login, patch, password.stored !== undefined, options, scope.tx);
          const { backend, before, values, oldLogin, newLogin } = plan;
          if (!plan.changes) return { backend, login: oldLogin, unchanged: before };
          const updated = await backend.update!(oldLogin, { ...values, ...storedPassword(password) }, backendWrite(scope));
          if (!updated) throw notFound(`No customer user with login "${login}"`, { field: 'login' });
          if (newLogin !== oldLogin) await moveLoginReferences(scope.tx, oldLogin, newLogin);
          scope.record({
            entityType: 'CustomerUser',
            key: newLogin,
            previousKey: oldLogin,
            action: 'update',
            changes: { ...diffValues(backend.fields, before.values, values), ...passwordAudit(backend.fields, password) },
          });
          scope.afterCommit(() => backend.changed?.([oldLogin, newLogin]));
          return { backend, login: newLogin, unchanged: null };
        }),
      'The customer user',
    );
    return written.unchanged ?? this.readBack(written.backend, written.login);
  }

  /** A record as committed (a backend writing elsewhere writes as the transaction's last step). */
  private async readBack(backend: CustomerUserBackend, login: string): Promise<StoredRecord> {
    const [record] = await backend.getByLogins([login]);
    if (!record) throw notFound(`No customer user with login "${login}"`, { field: 'login' });
    return record;
  }

  /**
   * Patches touching only plain fields (phone, names, title, address, admin-added columns …) need
   * no check against other records and no rename cascade, so they are written and audited in a
   * single statement: one round trip, the row lock its only lock (writers of one user still take turns).
   */
  private isPlainPatch(patch: Input): boolean {
    if (!this.single || this.single.readOnly) return false;
    const fields = this.single.fields;
    return Object.keys(patch).every((attribute) => {
      const field = fields.find((f) => f.attribute === attribute);
      return field?.role === 'plain' && fields.filter((f) => f.storage === field.storage).length === 1;
    });
  }

  private async updatePlainFields(backend: DbCustomerUserBackend, login: string, patch: Input, actor: Actor): Promise<StoredRecord> {
    const { values, issues } = backend.checkValues(patch, 'update');
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
    for (const backend of this.backends.filter((b) => !b.readOnly && b.replaceCustomerId)) {
      const logins = await backend.replaceCustomerId!(oldId, newId, backendWrite(scope));
      const field = backend.fields.find((f) => f.role === 'customerId')!.graphqlName;
      for (const login of logins) {
        scope.record({ entityType: 'CustomerUser', key: login, action: 'update', changes: { [field]: { old: oldId, new: newId } } });
      }
      scope.afterCommit(() => backend.changed?.(logins));
    }
    await moveCustomerIdReferences(scope.tx, oldId, newId);
  }

  /** The backend's own checks, and no value for a field its Map lacks (the API offers the union). */
  private checkValues(backend: CustomerUserBackend, given: Input, mode: 'create' | 'update') {
    const checked = backend.checkValues(given, mode);
    for (const [attribute, value] of Object.entries(given)) {
      if (value === undefined || backend.fields.some((f) => f.attribute === attribute)) continue;
      const field = this.fields.find((f) => f.attribute === attribute)?.graphqlName ?? attribute;
      checked.issues.push({ field, message: `${field} is not a field of the customer-user backend ${backend.id}`, reason: 'NOT_IN_BACKEND' });
    }
    return checked;
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
    if (backend.readOnly) throw readOnlyBackend(backend);
    const { values, issues } = this.checkValues(backend, patch, 'update');
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
    const backend = record && this.backendOf(record);
    if (!record || !backend) throw notFound(`No customer user with login "${login}"`, { field: 'login' });
    return { backend, record };
  }

  private writableBackend(id?: string | null): CustomerUserBackend {
    if (id !== undefined && id !== null) {
      const named = this.backends.find((b) => b.id === id);
      if (!named) {
        const ids = this.backends.map((b) => b.id).join(', ');
        throw badInput(`No customer-user backend "${id}" is configured (configured: ${ids})`, { field: 'backend', reason: 'UNKNOWN_BACKEND' });
      }
      if (named.readOnly) throw readOnlyBackend(named);
      if (!named.insert) throw createUnsupported(named);
      return named;
    }
    const backend = this.backends.find((b) => !b.readOnly && b.insert);
    if (!backend) throw readOnlyBackend(this.primary);
    return backend;
  }

  /**
   * With CustomerCompanySupport the CustomerID must name an existing customer — so, as in
   * OTOBO's admin screen, customers come first. The customer's own spelling of its ID is stored.
   */
  private async existingCustomerId(backend: CustomerUserBackend, customerId: string, tx?: Db): Promise<string> {
    if (!backend.customerCompanySupport) return customerId;
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

  /** OTOBO checks per backend when CustomerUserEmailUniqCheck is set; we check across every backend that does. */
  private async assertEmailFree(email: string, ownLogin: string | null, tx?: Db): Promise<void> {
    for (const backend of this.backends.filter((b) => b.emailUniqueCheck)) {
      const holders = await backend.loginsByEmail(email, { executor: tx });
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

function backendWrite(scope: WriteScope): BackendWrite {
  return { tx: scope.tx, agentId: scope.actor.agentId, last: scope.last };
}
