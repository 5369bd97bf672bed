import { eq, sql } from 'drizzle-orm';
import type { Actor, ChangeWriter } from '../changes/change-writer';
import type { Db } from '../db/client';
import { lockKeys } from '../db/locks';
import type { GroupTable } from '../db/group-table';
import { conflict, notFound } from '../errors';
import { NOW } from '../relations/tuple-relation';
import { catalogDiff, checkCatalogInput, type CatalogInput } from '../records/catalog-entry';
import { readGroups } from './group-rows';
import type { GroupInfo } from './policy';

/** Groups (OTOBO's group table, shared with agents): create, update, validity. Nothing is deleted. */
export class GroupService {
  constructor(
    private readonly writer: ChangeWriter,
    private readonly table: GroupTable,
  ) {}

  create(input: CatalogInput & { name: string }, actor: Actor): Promise<GroupInfo> {
    const values = checkCatalogInput(input);
    return this.writer.write(actor, async (scope) => {
      await lockKeys(scope.tx, 'group-name', [values.name!]);
      await assertNameFree(scope.tx, this.table, values.name!, null);
      const [row] = await scope.tx
        .insert(this.table)
        .values({
          name: values.name!,
          comments: values.comment ?? null,
          validId: values.validId ?? 1,
          createTime: NOW,
          createBy: actor.agentId,
          changeTime: NOW,
          changeBy: actor.agentId,
        })
        .returning({ id: this.table.id });
      const group = (await readGroups(scope.tx, this.table, [row!.id]))[0]!;
      scope.record({ entityType: 'Group', key: String(group.id), action: 'create', changes: catalogDiff(null, group) });
      return group;
    });
  }

  update(id: number, patch: CatalogInput, actor: Actor): Promise<GroupInfo> {
    const values = checkCatalogInput(patch);
    return this.writer.write(actor, async (scope) => {
      await lockKeys(scope.tx, 'group', [String(id)]);
      const before = (await readGroups(scope.tx, this.table, [id]))[0];
      if (!before) throw notFound(`No group with id ${id}`, { field: 'id' });
      if (values.name !== undefined && values.name.toLowerCase() !== before.name.toLowerCase()) {
        await lockKeys(scope.tx, 'group-name', [values.name]);
        await assertNameFree(scope.tx, this.table, values.name, id);
      }
      await scope.tx
        .update(this.table)
        .set({ name: values.name, comments: values.comment, validId: values.validId, changeTime: NOW, changeBy: actor.agentId })
        .where(eq(this.table.id, id));
      const after = (await readGroups(scope.tx, this.table, [id]))[0]!;
      scope.record({ entityType: 'Group', key: String(id), action: 'update', changes: catalogDiff(before, after) });
      return after;
    });
  }
}

/** Unique case-insensitively: "Users" beside "users" could not be told apart in a list. */
async function assertNameFree(tx: Db, table: GroupTable, name: string, ownId: number | null): Promise<void> {
  const holders = await tx
    .select({ id: table.id })
    .from(table)
    .where(sql`lower(${table.name}) = lower(${name})`);
  if (holders.some((h) => h.id !== ownId)) throw conflict(`A group named "${name}" already exists`, { field: 'name' });
}
