import type { ArgBuilder, ObjectFieldBuilder } from '@pothos/core';
import type { EntityType } from '../../changes/change-feed';
import { badInput } from '../../errors';
import type { StoredRecord } from '../../records/types';
import { recordVersion } from '../../records/version';
import type { Types } from '../builder';
import type { CommonTypes } from './common';

const MAX_HISTORY = 1000;

/** Fields every record type has: where it lives, when and by whom it was made and changed, its history. */
export function recordMetaFields(
  t: ObjectFieldBuilder<Types, StoredRecord>,
  common: CommonTypes,
  entityType: EntityType,
  keyAttribute: string,
) {
  return {
    version: t.string({
      description:
        'Opaque; changes with every write that changes the record. Pass it as expectedVersion to an update to refuse it (CONFLICT, reason STALE_VERSION) if someone else wrote in between.',
      resolve: (r) => recordVersion(r),
    }),
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
      resolve: (r, args, ctx) => {
        const limit = args.limit ?? 50;
        if (limit < 0 || limit > MAX_HISTORY) throw badInput(`limit must be between 0 and ${MAX_HISTORY}`, { field: 'limit' });
        ctx.searchBudget.spend();
        return ctx.services.history.forRecord(entityType, String(r.values[keyAttribute]), limit);
      },
    }),
  };
}

/** The update mutations' optimistic-concurrency argument (see the `version` field). */
export function expectedVersionArg(arg: ArgBuilder<Types>) {
  return arg.string({ description: 'Refuse the update (CONFLICT, reason STALE_VERSION) unless this is still the current version.' });
}
