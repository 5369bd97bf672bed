import type { ChangeFeed } from '../changes/change-feed';
import type { GroupInfo } from '../permissions/policy';
import type { ServiceInfo } from '../service-catalog/service-rows';

/**
 * The groups and services tables, shared by the requests of `ttlMs` (they are small, read whole
 * and change rarely): a request resolving groupPermissions or services would otherwise read both
 * tables again, two of the five statements of a customer's users with their permissions and
 * services. Our own writes forget them at once (through the change feed, before the mutation
 * answers); a change OTOBO makes directly in its tables is seen after at most `ttlMs`. A failed
 * read is not kept. `ttlMs` 0 reads per request.
 */
export class CatalogCache {
  readonly groups: SharedRead<GroupInfo[]>;
  readonly services: SharedRead<ServiceInfo[]>;

  constructor(ttlMs: number, feed: ChangeFeed) {
    this.groups = new SharedRead(ttlMs);
    this.services = new SharedRead(ttlMs);
    feed.subscribe((event) => {
      if (event.entityType === 'Group') this.groups.forget();
      if (event.entityType === 'Service') this.services.forget();
    });
  }
}

/** One read, kept for `ttlMs` from when it started. */
class SharedRead<T> {
  private entry: { readonly readAt: number; readonly rows: Promise<T> } | null = null;

  constructor(private readonly ttlMs: number) {}

  get(read: () => Promise<T>): Promise<T> {
    if (this.entry === null || Date.now() - this.entry.readAt >= this.ttlMs) {
      const entry = { readAt: Date.now(), rows: read() };
      // A failure is not kept; a later entry (after a forget) is left alone.
      entry.rows.catch(() => this.entry === entry && this.forget());
      this.entry = entry;
    }
    return this.entry.rows;
  }

  forget(): void {
    this.entry = null;
  }
}
