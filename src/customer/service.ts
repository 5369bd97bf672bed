import type { DbRecordStore } from '../backends/db/record-store';
import type { TableColumns } from '../backends/db/table-columns';
import type { Actor, ChangeWriter, WriteScope } from '../changes/change-writer';
import type { CustomerCompanyBackendConfig } from '../config/semantics';
import type { Db } from '../db/client';
import { lockKeys } from '../db/locks';
import { conflict, DomainError, notFound } from '../errors';
import { diffValues } from '../records/diff';
import { normaliseIdentifier } from '../records/identifier';
import { checkInputValues, invalidInput } from '../records/input-values';
import { insertOrConflict } from '../records/insert-or-conflict';
import type { FieldValue, RecordPage, RecordQuery, StoredRecord } from '../records/types';
import { VALID_ID } from '../records/validity';
import { assertVersion, type UpdateOptions } from '../records/version';

/** What else must follow when a CustomerID is renamed (its users, relations, …). */
export interface CustomerIdReferences {
  renameCustomerId(scope: WriteScope, oldId: string, newId: string): Promise<void>;
}

type Input = Readonly<Record<string, FieldValue | undefined>>;

/** Customers (OTOBO's customer companies): reads, search, and the rules of create and update. */
export class CustomerService {
  private references: CustomerIdReferences | null = null;

  constructor(
    readonly config: CustomerCompanyBackendConfig,
    /** Read directly only for joins (a user's customer in the user's own statement). */
    readonly store: DbRecordStore,
    private readonly columns: TableColumns,
    private readonly writer: ChangeWriter,
  ) {}

  get fields() {
    return this.config.fields;
  }

  /** Wired after construction: the customer-user side needs this service too. */
  setReferences(references: CustomerIdReferences): void {
    this.references = references;
  }

  getByIds(ids: readonly string[], executor?: Db): Promise<StoredRecord[]> {
    return this.store.getByKeys(ids.map(normaliseIdentifier), executor);
  }

  async getById(id: string, executor?: Db): Promise<StoredRecord | null> {
    return (await this.getByIds([id], executor))[0] ?? null;
  }

  isEmpty(executor?: Db): Promise<boolean> {
    return this.store.isEmpty(executor);
  }

  search(query: RecordQuery): Promise<RecordPage> {
    return this.store.search(query);
  }

  async create(input: Input, actor: Actor): Promise<StoredRecord> {
    this.assertWritable();
    const { values, issues } = checkInputValues(this.fields, { ValidID: VALID_ID, ...input }, 'create', this.columns);
    if (issues.length > 0) throw invalidInput(issues);
    const id = values.CustomerID as string;
    const name = values.CustomerCompanyName as string;

    return this.writer.write(actor, async (scope) => {
      await lockKeys(scope.tx, 'customer-id', [id]);
      await lockKeys(scope.tx, 'customer-name', [name]);
      if (await this.getById(id, scope.tx)) throw conflict(`A customer with CustomerID "${id}" already exists`, { field: 'customerId' });
      await this.assertNameFree(name, null, scope.tx);
      await insertOrConflict(() => this.store.insert(values, actor.agentId, scope.tx), 'The customer');
      scope.record({ entityType: 'Customer', key: id, action: 'create', changes: diffValues(this.fields, null, values) });
      return (await this.getById(id, scope.tx))!;
    });
  }

  async update(given: string, patch: Input, actor: Actor, options: UpdateOptions = {}): Promise<StoredRecord> {
    const customerId = normaliseIdentifier(given);
    this.assertWritable();
    const { values, issues } = checkInputValues(this.fields, patch, 'update', this.columns);
    if (issues.length > 0) throw invalidInput(issues);

    return this.writer.write(actor, async (scope) => {
      // Locked before reading, so concurrent writers of one customer take turns (no lost update).
      await lockKeys(scope.tx, 'customer-id', [customerId]);
      const before = await this.getById(customerId, scope.tx);
      if (!before) throw notFound(`No customer with CustomerID "${customerId}"`, { field: 'customerId' });
      assertVersion(before, options.expectedVersion, `The customer "${String(before.values.CustomerID)}"`);
      if (Object.keys(values).length === 0) return before;
      const oldId = before.values.CustomerID as string;
      const newId = (values.CustomerID as string | undefined) ?? oldId;
      const newName = values.CustomerCompanyName as string | undefined;
      if (newId.toLowerCase() !== oldId.toLowerCase()) {
        await lockKeys(scope.tx, 'customer-id', [newId]);
        if (await this.getById(newId, scope.tx)) {
          throw conflict(`A customer with CustomerID "${newId}" already exists`, { field: 'customerId' });
        }
      }
      if (newName !== undefined) {
        await lockKeys(scope.tx, 'customer-name', [newName]);
        await this.assertNameFree(newName, oldId, scope.tx);
      }
      const updated = await insertOrConflict(() => this.store.update(oldId, values, actor.agentId, scope.tx), 'The customer');
      if (!updated) throw notFound(`No customer with CustomerID "${customerId}"`, { field: 'customerId' });
      if (newId !== oldId) await this.references?.renameCustomerId(scope, oldId, newId);
      scope.record({
        entityType: 'Customer',
        key: newId,
        previousKey: oldId,
        action: 'update',
        changes: diffValues(this.fields, before.values, values),
      });
      return (await this.getById(newId, scope.tx))!;
    });
  }

  /** Names are unique case-insensitively ("ACME" and "acme" would be indistinguishable in a list). */
  private async assertNameFree(name: string, ownId: string | null, tx: Db): Promise<void> {
    const holders = await this.store.keysWithValue('CustomerCompanyName', name, tx);
    if (holders.some((id) => ownId === null || id.toLowerCase() !== ownId.toLowerCase())) {
      throw conflict(`A customer named "${name}" already exists`, { field: 'name' });
    }
  }

  private assertWritable(): void {
    if (this.config.ReadOnly) {
      throw new DomainError('READ_ONLY_BACKEND', `The customer backend "${this.config.Name}" is read-only`);
    }
  }
}
