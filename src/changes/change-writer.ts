import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../db/client';
import { sqlState } from '../db/errors';
import { gqlAuditLog } from '../db/schema';
import { conflict } from '../errors';
import type { FieldValue } from '../records/types';
import type { ChangeFeed, EntityType } from './change-feed';

/** deadlock_detected, serialization_failure */
const CONCURRENCY_FAILURES = new Set(['40P01', '40001']);

/** Who is writing: recorded in the audit log, and as OTOBO's create_by/change_by agent id. */
export interface Actor {
  readonly label: string;
  readonly agentId: number;
}

export interface FieldChange {
  readonly old: FieldValue;
  readonly new: FieldValue;
}

export interface ChangeRecord {
  readonly entityType: EntityType;
  readonly key: string;
  readonly previousKey?: string;
  readonly action: 'create' | 'update';
  /** By GraphQL field name; secrets are recorded as changed without their values. */
  readonly changes: Readonly<Record<string, FieldChange>>;
}

/** What a unit of work gets: the transaction, and a way to record what it changed. */
export interface WriteScope {
  readonly tx: Db;
  readonly actor: Actor;
  record(change: ChangeRecord): void;
  /** Queues work for after the audit rows, just before the commit (writes to other databases). */
  last(step: () => Promise<void>): void;
  /** Queues work for after a successful commit (cache invalidation: no reader can then see the old data). */
  afterCommit(step: () => void): void;
}

/**
 * The one place every write passes through: each unit of work runs in a single transaction
 * (nothing half-written), its audit rows are written in that same transaction, and the change
 * feed hears about it only after the commit.
 */
export class ChangeWriter {
  constructor(
    private readonly database: Database,
    private readonly feed: ChangeFeed,
  ) {}

  async write<T>(actor: Actor, work: (scope: WriteScope) => Promise<T>): Promise<T> {
    const recorded: ChangeRecord[] = [];
    const lastSteps: (() => Promise<void>)[] = [];
    const committed: (() => void)[] = [];
    const result = await this.database.db
      .transaction(async (tx) => {
        const scope: WriteScope = {
          tx: tx as unknown as Db,
          actor,
          record: (change) => recorded.push(change),
          last: (step) => lastSteps.push(step),
          afterCommit: (step) => committed.push(step),
        };
        const value = await work(scope);
        await writeAuditRows(scope.tx, actor, recorded);
        for (const step of lastSteps) await step();
        return value;
      })
      .catch(rethrowConcurrencyFailure);
    for (const step of committed) step();
    for (const change of recorded) this.publish(change);
    return result;
  }

  /**
   * A write that is one statement, its audit row included (see auditRowInsert): atomic without a
   * transaction around it, so one round trip. `work` runs it and says what it changed; the feed
   * hears of it afterwards.
   */
  async writeInOneStatement<T>(work: () => Promise<{ result: T; change: ChangeRecord }>): Promise<T> {
    const { result, change } = await work().catch(rethrowConcurrencyFailure);
    this.publish(change);
    return result;
  }

  private publish(change: ChangeRecord): void {
    this.feed.publish({
      entityType: change.entityType,
      key: change.key,
      previousKey: change.previousKey ?? null,
      action: change.action,
      fields: Object.keys(change.changes),
    });
  }
}

/** Two writers locking the same records in opposite order: PostgreSQL aborts one of them. */
function rethrowConcurrencyFailure(error: unknown): never {
  if (CONCURRENCY_FAILURES.has(sqlState(error) ?? '')) {
    throw conflict('The change collided with a concurrent change; try again', { reason: 'CONCURRENT_CHANGE' });
  }
  throw error;
}

/**
 * The audit row of a one-statement write, as an INSERT … SELECT for a data-modifying CTE: the
 * key and the changes (a jsonb array of {field, old, new}, as writeAuditRows stores them) are SQL
 * expressions over the statement's other CTEs (`from`); `condition` skips writes that changed nothing.
 */
export function auditRowInsert(parts: {
  readonly entityType: EntityType;
  readonly key: SQL;
  readonly changes: SQL;
  readonly actor: SQL;
  readonly agentId: SQL;
  readonly from: SQL;
  readonly condition: SQL;
}): SQL {
  const columns = [gqlAuditLog.entityType, gqlAuditLog.entityKey, gqlAuditLog.action, gqlAuditLog.actor, gqlAuditLog.agentId, gqlAuditLog.changes];
  return sql`INSERT INTO ${gqlAuditLog} (${sql.join(columns.map((c) => sql.identifier(c.name)), sql`, `)})
    SELECT ${sql.raw(`'${parts.entityType}'`)}, ${parts.key}, 'update', ${parts.actor}, ${parts.agentId}, ${parts.changes}
    FROM ${parts.from} WHERE ${parts.condition}`;
}

async function writeAuditRows(tx: Db, actor: Actor, changes: readonly ChangeRecord[]): Promise<void> {
  for (const change of changes) {
    if (change.previousKey !== undefined && change.previousKey !== change.key) {
      // A rename keeps the record's earlier history reachable under its new key.
      await tx
        .update(gqlAuditLog)
        .set({ entityKey: change.key })
        .where(sql`${gqlAuditLog.entityType} = ${change.entityType} AND lower(${gqlAuditLog.entityKey}) COLLATE "C" = lower(${change.previousKey})`);
    }
  }
  const rows = changes
    .filter((change) => Object.keys(change.changes).length > 0)
    .map((change) => ({
      entityType: change.entityType,
      entityKey: change.key,
      action: change.action,
      actor: actor.label,
      agentId: actor.agentId,
      // An array keeps the Map's field order (jsonb objects would reorder keys).
      changes: Object.entries(change.changes).map(([field, c]) => ({ field, old: c.old, new: c.new })),
    }));
  // Chunked so a cascade touching thousands of records stays within the bind-parameter limit.
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(gqlAuditLog).values(rows.slice(i, i + 1000));
}
