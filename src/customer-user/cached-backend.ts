import { LRUCache } from 'lru-cache';
import type { FieldValue, RecordPage, RecordQuery, StoredRecord } from '../records/types';
import type { BackendReadOptions, CustomerUserBackend } from './backend';

/** Entries per cached backend and kind: bounded memory whatever the traffic. */
const MAX_LOOKUPS = 10_000;
const MAX_SEARCHES = 1_000;

/** What a lookup found for one login; `null` remembers that the backend does not have it. */
type Lookup = { readonly record: StoredRecord | null };

/**
 * A backend's lookups and searches kept in-process for its CacheTTL (OTOBO's per-backend cache,
 * §16), least recently used entries dropped first. Writes through this server invalidate what
 * they may have changed (changed()); edits made elsewhere show after the TTL. Reads inside a
 * write's transaction (executor given) and email lookups (uniqueness checks) always go through.
 */
export class CachedBackend implements CustomerUserBackend {
  private readonly lookups: LRUCache<string, Lookup>;
  private readonly searches: LRUCache<string, RecordPage>;
  /** Bumped by every change: a read that started before it must not store what it read. */
  private generation = 0;

  constructor(
    private readonly inner: CustomerUserBackend,
    ttlSeconds: number,
  ) {
    this.lookups = new LRUCache({ max: MAX_LOOKUPS, ttl: ttlSeconds * 1000 });
    this.searches = new LRUCache({ max: MAX_SEARCHES, ttl: ttlSeconds * 1000 });
  }

  get id() { return this.inner.id; }
  get name() { return this.inner.name; }
  get fields() { return this.inner.fields; }
  get readOnly() { return this.inner.readOnly; }
  get customerCompanySupport() { return this.inner.customerCompanySupport; }
  get emailUniqueCheck() { return this.inner.emailUniqueCheck; }
  get insert() { return this.inner.insert?.bind(this.inner); }
  get update() { return this.inner.update?.bind(this.inner); }
  get replaceCustomerId() { return this.inner.replaceCustomerId?.bind(this.inner); }

  checkValues(given: Readonly<Record<string, FieldValue | undefined>>, mode: 'create' | 'update') {
    return this.inner.checkValues(given, mode);
  }

  async getByLogins(logins: readonly string[], options: BackendReadOptions = {}): Promise<StoredRecord[]> {
    if (options.executor) return this.inner.getByLogins(logins, options);
    const keys = [...new Set(logins.map((l) => l.toLowerCase()))];
    const missing = keys.filter((key) => !this.lookups.has(key));
    const known = keys.flatMap((key) => this.lookups.get(key)?.record ?? []);
    if (missing.length === 0) return known;
    const generation = this.generation;
    const read = await this.inner.getByLogins(missing);
    if (generation === this.generation) {
      const found = new Map(read.map((r) => [String(r.values.UserLogin).toLowerCase(), r]));
      for (const key of missing) this.lookups.set(key, { record: found.get(key) ?? null });
    }
    return [...known, ...read];
  }

  loginsByEmail(email: string, options?: BackendReadOptions) {
    return this.inner.loginsByEmail(email, options);
  }

  async search(query: RecordQuery): Promise<RecordPage> {
    const { signal, ...searched } = query; // the signal is the request's, not part of the search
    const key = JSON.stringify(searched);
    const cached = this.searches.get(key);
    if (cached) return cached;
    const generation = this.generation;
    const page = await this.inner.search(query);
    if (generation === this.generation) this.searches.set(key, page);
    return page;
  }

  authenticate(login: string, password: string) {
    return this.inner.authenticate(login, password);
  }

  /** Any write clears every search (OTOBO does the same); only the written logins' lookups go. */
  changed(logins: readonly string[] | 'all'): void {
    this.generation += 1;
    this.searches.clear();
    if (logins === 'all') this.lookups.clear();
    else for (const login of logins) this.lookups.delete(login.toLowerCase());
  }

  close() {
    return this.inner.close();
  }
}
