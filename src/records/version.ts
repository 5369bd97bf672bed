import { createHash } from 'node:crypto';
import { conflict } from '../errors';
import type { StoredRecord } from './types';

/**
 * A record's version for optimistic concurrency: a digest of everything the API shows of it (its
 * values and when and by whom it was last changed). Derived rather than stored, so OTOBO's tables
 * need no extra column and any backend has one; every write that changes the record changes it
 * (a password change moves change_time). Equal versions mean the record is as the client saw it.
 */
export function recordVersion(record: StoredRecord): string {
  const values = Object.keys(record.values)
    .sort()
    .map((attribute) => [attribute, record.values[attribute]]);
  return createHash('sha256')
    .update(JSON.stringify([values, record.changeTime, record.changeBy]))
    .digest('base64url')
    .slice(0, 22);
}

export interface UpdateOptions {
  /** The version the client's patch is based on: refused (STALE_VERSION) unless it is still current. */
  readonly expectedVersion?: string;
}

/** CONFLICT (reason STALE_VERSION) when the client's version of the record is not the current one. */
export function assertVersion(record: StoredRecord, expectedVersion: string | undefined, what: string): void {
  if (expectedVersion === undefined) return;
  const current = recordVersion(record);
  if (current === expectedVersion) return;
  const error = conflict(`${what} was changed since version "${expectedVersion}" was read (now "${current}"): read it again and retry`, {
    field: 'expectedVersion',
    reason: 'STALE_VERSION',
  });
  Object.assign(error.extensions, { currentVersion: current });
  throw error;
}
