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
  private groups: Cached<GroupInfo[]> | null = null;
  private services: Cached<ServiceInfo[]> | null = null;

  constructor(
    private readonly ttlMs: number,
    feed: ChangeFeed,
    private readonly now: () => number = Date.now,
  ) {
    feed.subscribe((event) => {
      if (event.entityType === 'Group') this.groups = null;
      if (event.entityType === 'Service') this.services = null;
    });
  }

  groupsOf(read: () => Promise<GroupInfo[]>): Promise<GroupInfo[]> {
    if (!this.fresh(this.groups)) this.groups = this.cached(read, () => (this.groups = null));
    return this.groups!.rows;
  }

  servicesOf(read: () => Promise<ServiceInfo[]>): Promise<ServiceInfo[]> {
    if (!this.fresh(this.services)) this.services = this.cached(read, () => (this.services = null));
    return this.services!.rows;
  }

  private fresh<T>(entry: Cached<T> | null): boolean {
    return entry !== null && this.now() - entry.readAt < this.ttlMs;
  }

  private cached<T>(read: () => Promise<T>, drop: () => void): Cached<T> {
    const entry: Cached<T> = { readAt: this.now(), rows: read() };
    entry.rows.catch(() => drop());
    return entry;
  }
}

interface Cached<T> {
  readonly readAt: number;
  readonly rows: Promise<T>;
}
