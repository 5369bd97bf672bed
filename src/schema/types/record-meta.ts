import type { ObjectFieldBuilder } from '@pothos/core';
import type { EntityType } from '../../changes/change-feed';
import type { StoredRecord } from '../../records/types';
import type { Types } from '../builder';
import type { CommonTypes } from './common';

/** Fields every record type has: where it lives, when and by whom it was made and changed, its history. */
export function recordMetaFields(
  t: ObjectFieldBuilder<Types, StoredRecord>,
  common: CommonTypes,
  entityType: EntityType,
  keyAttribute: string,
) {
  return {
    source: t.string({ description: 'The backend holding the record (e.g. CustomerUser).', resolve: (r) => r.source }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.createTime }),
    createdBy: t.field({
      type: common.Agent,
      nullable: true,
      resolve: (r, _args, ctx) => (r.createBy === null ? null : ctx.loaders.agent.load(r.createBy)),
    }),
    changedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.changeTime }),
    changedBy: t.field({
      type: common.Agent,
      nullable: true,
      resolve: (r, _args, ctx) => (r.changeBy === null ? null : ctx.loaders.agent.load(r.changeBy)),
    }),
    history: t.field({
      type: [common.HistoryEntry],
      description: 'Recorded changes, newest first.',
      args: { limit: t.arg.int({ defaultValue: 50 }) },
      resolve: (r, args, ctx) =>
        ctx.services.history.forRecord(entityType, String(r.values[keyAttribute]), Math.min(Math.max(args.limit ?? 50, 0), 1000)),
    }),
  };
}
