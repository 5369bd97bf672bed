import { AndFilter, FilterParser, SizeLimitExceededError, type Client, type Entry, type Filter } from 'ldapts';
import type { BackendWrite, CustomerUserBackend } from '../../customer-user/backend';
import type { FieldDef } from '../../field-map/field-def';
import { recordComparator } from '../../records/record-order';
import type { AttributeFilter, FieldValue, RecordPage, RecordQuery, StoredRecord } from '../../records/types';
import { checkInputValues } from '../../records/input-values';
import { VALIDITY_IDS } from '../../records/validity';
import type { TableColumns } from '../db/table-columns';
import { DomainError } from '../../errors';
import { backendUnavailable, type LdapConnection } from './connection';
import { firstValue, entryToRecord } from './entry-record';
import { allOf, anyOf, equalsAny, EVERY_ENTRY, freeTextCondition, not, wildcardCondition, type Condition } from './filters';
import { groupMembership, type GroupSettings } from './group-restriction';
import type { LdapBackendConfig } from './settings';
import { modifyEntry } from './writes';

/** Logins per OR filter of a batch lookup; larger batches are split into several searches. */
const LOGINS_PER_FILTER = 100;

const { VALID, INVALID } = VALIDITY_IDS;

interface Found {
  readonly dn: string;
  readonly record: StoredRecord;
  readonly validId: number;
}

/**
 * A customer-user backend on an LDAP directory (OTOBO's Kernel::System::CustomerUser::LDAP).
 * Searches read every match (paged, so past the server's size limit) with the attributes the
 * order needs, and order, count and cut them here (LDAP has no order of its own); then the page's
 * entries are read in full. Validity comes from CustomerUserValidFilter: entries
 * matching it are valid, all others invalid (ValidID 2).
 */
const NO_COLUMN_LIMITS: TableColumns = new Map();

export class LdapDirectory implements CustomerUserBackend {
  readonly id: string;
  readonly name: string;
  readonly fields: readonly FieldDef[];
  readonly readOnly: boolean;
  private readonly readable: readonly FieldDef[];
  private readonly attributes: string[];
  private readonly always: Filter | null;
  private readonly valid: Filter | null;
  private readonly group: GroupSettings | null;

  constructor(
    private readonly config: LdapBackendConfig,
    private readonly connection: LdapConnection,
  ) {
    this.id = config.id;
    this.name = config.Name;
    this.fields = config.fields;
    this.readOnly = config.ReadOnly;
    this.readable = config.fields.filter((f) => f.role !== 'password' && f.role !== 'validity');
    this.attributes = [...new Set([config.CustomerKey, ...this.readable.map((f) => f.storage)])];
    // Admin-written filters, validated by the settings schema.
    this.always = config.Params.AlwaysFilter ? FilterParser.parseString(config.Params.AlwaysFilter) : null;
    this.valid = config.CustomerUserValidFilter ? FilterParser.parseString(config.CustomerUserValidFilter) : null;
    const { GroupDN, AccessAttr, UserAttr } = config.Params;
    this.group = GroupDN ? { groupDn: GroupDN, accessAttr: AccessAttr, userAttr: UserAttr } : null;
  }

  get customerCompanySupport(): boolean {
    return this.config.CustomerCompanySupport;
  }

  get emailUniqueCheck(): boolean {
    return this.config.CustomerUserEmailUniqCheck;
  }

  /** The Map's own rules only: a directory publishes no column lengths (its schema may refuse a value on write). */
  checkValues(given: Readonly<Record<string, FieldValue | undefined>>, mode: 'create' | 'update') {
    return checkInputValues(this.fields, given, mode, NO_COLUMN_LIMITS);
  }

  async getByLogins(logins: readonly string[]): Promise<StoredRecord[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < logins.length; i += LOGINS_PER_FILTER) chunks.push(logins.slice(i, i + LOGINS_PER_FILTER));
    const found = (await Promise.all(chunks.map((chunk) => this.find(this.loginCondition(chunk))))).flat();
    // The same login twice in a batch, differently cased, in two chunks: one record.
    const byLogin = new Map(found.map(({ record }) => [String(record.values.UserLogin).toLowerCase(), record]));
    return [...byLogin.values()];
  }

  async loginsByEmail(email: string): Promise<string[]> {
    const found = await this.find(this.emailCondition(email), VALID);
    return found.map(({ record }) => String(record.values.UserLogin));
  }

  /**
   * Every match is read, but only with the attributes the order needs (and the login): ordered and
   * cut here, then just the page's entries are read in full (by login, matched up by DN).
   */
  async search(query: RecordQuery): Promise<RecordPage> {
    const { condition, validId } = this.queryCondition(query);
    const found = condition === 'nothing' ? [] : await this.find(condition, validId, this.orderAttributes(query));
    const compare = recordComparator(query.orderBy, this.fields, 'UserLogin');
    found.sort((a, b) => compare(a.record, b.record));
    const end = query.offset + query.limit;
    return {
      records: await this.readInFull(found.slice(query.offset, end)),
      totalCount: query.withTotal ? found.length : null,
      hasMore: found.length > end,
    };
  }

  /**
   * The login's entry is found with the bind account, then its DN binds with the password on a
   * connection of its own. An empty password is refused outright: LDAP treats a bind with one as
   * anonymous, which succeeds. Several entries with the login are ambiguous, hence refused too.
   */
  async authenticate(login: string, password: string): Promise<'ok' | 'bad-credentials'> {
    if (password === '') return 'bad-credentials';
    const found = await this.find(this.loginCondition([login]), VALID);
    if (found.length !== 1) return 'bad-credentials';
    return (await this.connection.binds(found[0]!.dn, password)) ? 'ok' : 'bad-credentials';
  }

  // No insert, even when writable: the Map does not say where an entry goes, which object classes
  // and required attributes (cn, sn …) it needs, and our password hashes are not ones the directory
  // can bind with. (OTOBO's LDAP backend refuses it as well.) Creates are refused by the service.

  /** The directory is written directly; `_write`'s transaction (for the caller's audit row) is not involved. */
  async update(login: string, values: Readonly<Record<string, FieldValue>>, _write: BackendWrite): Promise<boolean> {
    if (this.readOnly) throw this.refusal('is read-only (ReadOnly 1)');
    const [current] = await this.find(this.loginCondition([login]));
    if (!current) return false;
    for (const field of this.fields) {
      if (!(field.attribute in values)) continue;
      if (field.role === 'password') throw this.refusal('keeps passwords in the directory; change them there', 'PASSWORD');
      if (field.role === 'validity' && values[field.attribute] !== current.record.values[field.attribute]) {
        throw this.refusal('derives validity from CustomerUserValidFilter; it cannot be set', 'VALIDITY');
      }
    }
    const writable = this.readable.filter((f) => f.attribute in values);
    await this.connection.run((client) => modifyEntry(client, current.dn, writable, values, this.id));
    return true;
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /** The login and the storage of every ordered (read) field: all the order needs of an entry. */
  private orderAttributes(query: RecordQuery): string[] {
    const ordered = query.orderBy.map(({ attribute }) => this.readable.find((f) => f.attribute === attribute)?.storage);
    return [...new Set([this.config.CustomerKey, ...ordered.filter((storage): storage is string => storage !== undefined)])];
  }

  /**
   * The full records of `page` (found with fewer attributes), in its order: one search per
   * LOGINS_PER_FILTER logins, each entry taken by its DN (logins need not be unique in a
   * directory), its validity the one found already. An entry gone in between is left out.
   */
  private async readInFull(page: readonly Found[]): Promise<StoredRecord[]> {
    if (page.length === 0) return [];
    const logins = [...new Set(page.map(({ record }) => String(record.values.UserLogin)))];
    const chunks: string[][] = [];
    for (let i = 0; i < logins.length; i += LOGINS_PER_FILTER) chunks.push(logins.slice(i, i + LOGINS_PER_FILTER));
    const entries = await Promise.all(
      chunks.map((chunk) => {
        const condition = this.loginCondition(chunk);
        if (typeof condition === 'string') return [];
        return this.connection.run((client) => this.readAll(client, condition, this.attributes));
      }),
    );
    const byDn = new Map(entries.flat().map((entry) => [entry.dn, entry]));
    return page.flatMap(({ dn, validId }) => {
      const entry = byDn.get(dn);
      return entry ? [entryToRecord(entry, this.fields, this.id, validId)] : [];
    });
  }

  private loginCondition(logins: readonly string[]): Condition {
    return equalsAny(this.config.CustomerKey, logins);
  }

  private emailCondition(email: string): Condition {
    return anyOf(this.config.CustomerUserPostMasterSearchFields.map((attribute) => equalsAny(attribute, [email])));
  }

  /** The query as one condition; `validId` when the validity restriction leaves only one. */
  private queryCondition(query: RecordQuery): { condition: Condition; validId?: number } {
    const parts: Condition[] = [];
    let validIds = new Set<number>(query.validIds ?? [VALID, INVALID]);
    if (query.text) {
      const { CustomerUserSearchFields: attributes, CustomerUserSearchPrefix: prefix, CustomerUserSearchSuffix: suffix } = this.config;
      parts.push(freeTextCondition(query.text, { attributes, prefix, suffix }));
    }
    if (query.email !== undefined) parts.push(this.emailCondition(query.email));
    for (const filter of query.filters) {
      if (this.fields.find((f) => f.attribute === filter.attribute)?.role === 'validity') validIds = restrictValidity(validIds, filter);
      else parts.push(this.filterCondition(filter));
    }
    const validity = this.validityCondition(validIds);
    return { condition: allOf([...parts, validity.condition]), validId: validity.validId };
  }

  /** Directory users are valid (1) or invalid (2) only; without a ValidFilter all are valid. */
  private validityCondition(ids: ReadonlySet<number>): { condition: Condition; validId?: number } {
    const valid = ids.has(VALID);
    const invalid = ids.has(INVALID);
    if (!this.valid) return valid ? { condition: 'everything', validId: VALID } : { condition: 'nothing' };
    if (valid && invalid) return { condition: 'everything' };
    if (valid) return { condition: this.valid, validId: VALID };
    return invalid ? { condition: not(this.valid), validId: INVALID } : { condition: 'nothing' };
  }

  private filterCondition(filter: AttributeFilter): Condition {
    const field = this.readable.find((f) => f.attribute === filter.attribute);
    if (!field) throw new Error(`${this.id}: cannot filter on ${filter.attribute}`);
    if (filter.kind === 'pattern') return wildcardCondition(field.storage, filter.value);
    const listed = equalsAny(field.storage, filter.values.map(String));
    return filter.kind === 'in' ? listed : not(listed);
  }

  /**
   * Entries matching `condition` within the backend (AlwaysFilter, GroupDN) as records, read with
   * `attributes` (fields not among them are null: the Map's full set unless given). Unless the
   * caller gives the validity (`validId`: known from the query, or of no interest to it), a second
   * search, for the DNs only, finds the valid ones.
   */
  private async find(condition: Condition, validId?: number, attributes: string[] = this.attributes): Promise<Found[]> {
    const scoped = allOf([condition, this.always ?? 'everything']);
    if (scoped === 'nothing') return [];
    const filter = scoped === 'everything' ? EVERY_ENTRY : scoped;
    const classify = validId === undefined && this.valid !== null;
    // One after the other: a connection holds one paged search at a time.
    return this.connection.run(async (client) => {
      const entries = await this.readAll(client, filter, attributes);
      const validDns = classify ? await this.readAll(client, new AndFilter({ filters: [filter, this.valid!] }), ['1.1']) : null;
      const isMember = this.group ? await groupMembership(client, this.group) : null;
      const valid = validDns && new Set(validDns.map((entry) => entry.dn));
      const found: Found[] = [];
      for (const entry of entries) {
        const login = firstValue(entry, this.config.CustomerKey);
        if (login === null || (isMember && !isMember(entry, login))) continue;
        const id = validId ?? (valid && !valid.has(entry.dn) ? INVALID : VALID);
        found.push({ dn: entry.dn, record: entryToRecord(entry, this.fields, this.id, id), validId: id });
      }
      return found;
    });
  }

  /**
   * Every match, page by page (paged-results control). A server that still stops at its size
   * limit (it caps this account's paged total too) cannot give an exact, ordered page: the
   * search fails as unavailable rather than answering from a silently cut list.
   */
  private async readAll(client: Client, filter: Filter, attributes: string[]): Promise<Entry[]> {
    const { BaseDN, SSCOPE, PageSize } = this.config.Params;
    try {
      const result = await client.search(BaseDN, { scope: SSCOPE, filter, attributes, paged: { pageSize: PageSize } });
      return result.searchEntries;
    } catch (error) {
      if (!(error instanceof SizeLimitExceededError)) throw error;
      throw backendUnavailable(
        this.id,
        "the directory's size limit cut the search short; raise the bind account's limit (e.g. slapd's size.prtotal) or narrow the search",
        'SIZE_LIMIT',
      );
    }
  }

  private refusal(what: string, reason?: string): DomainError {
    return new DomainError('READ_ONLY_BACKEND', `Customer-user backend "${this.id}" ${what}`, { backend: this.id, ...(reason ? { reason } : {}) });
  }
}

/** A validity filter (`in`/`notIn` on ValidID) narrows the allowed ids. */
function restrictValidity(ids: ReadonlySet<number>, filter: AttributeFilter): Set<number> {
  if (filter.kind === 'pattern') throw new Error(`cannot match a pattern on ${filter.attribute}`);
  const listed = new Set(filter.values.map(Number));
  return new Set([...ids].filter((id) => listed.has(id) === (filter.kind === 'in')));
}
