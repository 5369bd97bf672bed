import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { EntityType } from '../changes/change-feed';
import type { WriteScope } from '../changes/change-writer';
import type { Db } from '../db/client';
import { lockKeys } from '../db/locks';
import { ciAny } from '../backends/db/sql-conditions';

/**
 * A relation table seen from its owner (a customer user, a customer): each owner holds a set of
 * tuples (extra CustomerIDs, group permission keys, service ids). Every relation mutation — a
 * whole set from either side, or a single pair — is a rewrite of some owners' sets, so one
 * function does it for all: lock, read, diff, delete and re-insert changed owners, audit.
 */
export interface TupleRelation<T> {
  /** Lock name: writes of one relation take turns (from both sides), so no pair is lost or doubled. */
  readonly name: string;
  readonly entityType: EntityType;
  /** The audited field name on the owner. */
  readonly field: string;
  /** The stored tuples of these owners (matched case-insensitively), by lower-cased owner. */
  read(tx: Db, owners: readonly string[]): Promise<Map<string, T[]>>;
  deleteOwners(tx: Db, owners: readonly string[]): Promise<void>;
  insert(tx: Db, rows: readonly { owner: string; tuple: T }[], agentId: number): Promise<void>;
  /** Identity and audit text of a tuple. */
  describe(tuple: T): string;
}

/** Serialises the writes of one relation table. Taken before any key locks, always. */
export function lockRelation(tx: Db, name: string): Promise<void> {
  return lockKeys(tx, 'relation', [name]);
}

/**
 * Replaces the tuple sets of `owners` (canonical spellings) by what `next` makes of the current
 * ones. Owners whose set does not change are left alone. The caller has taken the relation lock.
 */
export async function rewriteTuples<T>(
  scope: WriteScope,
  relation: TupleRelation<T>,
  owners: readonly string[],
  next: (owner: string, current: readonly T[]) => readonly T[],
): Promise<void> {
  const unique = [...new Map(owners.map((o) => [o.toLowerCase(), o])).values()];
  if (unique.length === 0) return;
  const current = await relation.read(scope.tx, unique);
  const changed: { owner: string; tuples: T[] }[] = [];
  for (const owner of unique) {
    const before = current.get(owner.toLowerCase()) ?? [];
    const after = [...new Map(next(owner, before).map((t) => [relation.describe(t), t])).values()];
    const oldText = describeAll(relation, before);
    const newText = describeAll(relation, after);
    if (oldText === newText) continue;
    changed.push({ owner, tuples: after });
    scope.record({ entityType: relation.entityType, key: owner, action: 'update', changes: { [relation.field]: { old: oldText, new: newText } } });
  }
  if (changed.length === 0) return;
  await relation.deleteOwners(scope.tx, changed.map((c) => c.owner));
  const rows = changed.flatMap((c) => c.tuples.map((tuple) => ({ owner: c.owner, tuple })));
  // Chunked to stay within the bind-parameter limit.
  for (let i = 0; i < rows.length; i += 1000) await relation.insert(scope.tx, rows.slice(i, i + 1000), scope.actor.agentId);
}

function describeAll<T>(relation: TupleRelation<T>, tuples: readonly T[]): string | null {
  const texts = [...new Set(tuples.map((t) => relation.describe(t)))].sort();
  return texts.length === 0 ? null : texts.join(', ');
}

/**
 * `lower(col) COLLATE "C"` (the expression of the relation tables' ci indexes) equal to one of the
 * values, lower-cased by PostgreSQL. The values travel as one array, so the text is the same for
 * any number of them (one parameter, not one per value: a 50-login batch planned in a fraction).
 */
export function ciMatches(column: AnyPgColumn | SQL, values: readonly string[] | SQL): SQL {
  if (Array.isArray(values) && values.length === 0) return sql`FALSE`;
  const list: SQL = Array.isArray(values) ? sql`${sql.param(values)}` : (values as SQL);
  return ciAny(sql`${column}`, list);
}

export function groupBy<R, V>(rows: readonly R[], key: (row: R) => string, value: (row: R) => V): Map<string, V[]> {
  const result = new Map<string, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = result.get(k);
    if (list) list.push(value(row));
    else result.set(k, [value(row)]);
  }
  return result;
}

/** OTOBO's create_time/change_time: a timestamp(0) in UTC (the sessions run in UTC). */
export const NOW = sql`current_timestamp`;
