import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { gqlAuditLog } from '../db/schema';
import type { EntityType } from './change-feed';

/** One field's change as stored: by GraphQL field name, in Map order. */
export interface RecordedFieldChange {
  readonly field: string;
  readonly old: unknown;
  readonly new: unknown;
}

export interface HistoryEntry {
  readonly id: number;
  readonly occurredAt: string;
  readonly action: 'create' | 'update';
  readonly actor: string;
  readonly agentId: number;
  readonly changes: readonly RecordedFieldChange[];
}

/** The audit trail of one record, newest first. */
export class HistoryReader {
  constructor(private readonly db: Db) {}

  async forRecord(entityType: EntityType, key: string, limit: number): Promise<HistoryEntry[]> {
    const rows = await this.db
      .select()
      .from(gqlAuditLog)
      .where(and(eq(gqlAuditLog.entityType, entityType), sql`lower(${gqlAuditLog.entityKey}) COLLATE "C" = lower(${key})`))
      .orderBy(desc(gqlAuditLog.id))
      .limit(limit);
    return rows.map((row) => ({
      id: row.id,
      occurredAt: new Date(row.occurredAt).toISOString(),
      action: row.action as HistoryEntry['action'],
      actor: row.actor,
      agentId: row.agentId,
      changes: row.changes as RecordedFieldChange[],
    }));
  }
}
