import { eq, sql } from 'drizzle-orm';
import type { Actor, ChangeWriter } from '../changes/change-writer';
import type { Db } from '../db/client';
import { lockKeys } from '../db/locks';
import { service } from '../db/schema';
import { badInput, conflict, notFound } from '../errors';
import { catalogDiff, checkCatalogInput, type CatalogInput } from '../records/catalog-entry';
import { NOW } from '../relations/tuple-relation';
import { escapeLike } from '../search/like-pattern';
import { readServices, type ServiceInfo } from './service-rows';
import { isDescendantName, parentName, SEPARATOR, shortName } from './service-tree';

export interface ServiceInput extends CatalogInput {
  /** The parent service; null makes it a top-level service (update only: undefined keeps the parent). */
  readonly parentId?: number | null;
}

/**
 * Services: create, update, validity (nothing is deleted). The name given is the service's own
 * name; the stored name is the whole path, and moving or renaming a service renames its subtree,
 * as OTOBO's ServiceUpdate does. All service writes take turns (one lock), so paths stay consistent.
 */
export class ServiceCatalog {
  constructor(private readonly writer: ChangeWriter) {}

  create(input: ServiceInput & { name: string }, actor: Actor): Promise<ServiceInfo> {
    const values = checkCatalogInput(input);
    checkOwnName(values.name!);
    return this.writer.write(actor, async (scope) => {
      await lockKeys(scope.tx, 'service-tree', ['all']);
      const parent = input.parentId == null ? null : await requireService(scope.tx, input.parentId, 'parentId');
      const fullName = joinName(parent?.name ?? null, values.name!);
      await assertNameFree(scope.tx, fullName, null);
      const [row] = await scope.tx
        .insert(service)
        .values({ name: fullName, comments: values.comment ?? null, validId: values.validId ?? 1, createTime: NOW, createBy: actor.agentId, changeTime: NOW, changeBy: actor.agentId })
        .returning({ id: service.id });
      const created = await requireService(scope.tx, row!.id, 'id');
      scope.record({ entityType: 'Service', key: String(created.id), action: 'create', changes: catalogDiff(null, created) });
      return created;
    });
  }

  update(id: number, patch: ServiceInput, actor: Actor): Promise<ServiceInfo> {
    const values = checkCatalogInput(patch);
    if (values.name !== undefined) checkOwnName(values.name);
    return this.writer.write(actor, async (scope) => {
      await lockKeys(scope.tx, 'service-tree', ['all']);
      const before = await requireService(scope.tx, id, 'id');
      const parentFullName =
        patch.parentId === undefined ? parentName(before.name) : patch.parentId === null ? null : (await requireService(scope.tx, patch.parentId, 'parentId')).name;
      if (parentFullName !== null && (parentFullName === before.name || isDescendantName(parentFullName, before.name))) {
        throw badInput('A service cannot be moved below itself or one of its sub-services', { field: 'parentId', reason: 'SERVICE_CYCLE' });
      }
      const fullName = joinName(parentFullName, values.name ?? shortName(before.name));
      if (fullName !== before.name) await this.renameSubtree(scope.tx, before.name, fullName);
      await scope.tx
        .update(service)
        .set({ name: fullName, comments: values.comment, validId: values.validId, changeTime: NOW, changeBy: actor.agentId })
        .where(eq(service.id, id));
      const after = await requireService(scope.tx, id, 'id');
      scope.record({ entityType: 'Service', key: String(id), action: 'update', changes: catalogDiff(before, after) });
      return after;
    });
  }

  /** Checks the new path of the service and of every sub-service, then renames the sub-services. */
  private async renameSubtree(tx: Db, oldName: string, newName: string): Promise<void> {
    const subtree = sql`${service.name} LIKE ${escapeLike(oldName + SEPARATOR) + '%'}`;
    const descendants = await tx.select({ id: service.id, name: service.name }).from(service).where(subtree);
    const moved = new Set([oldName.toLowerCase(), ...descendants.map((d) => d.name.toLowerCase())]);
    for (const name of [newName, ...descendants.map((d) => newName + d.name.slice(oldName.length))]) {
      if (name.length > 191) throw badInput(`The service path "${name}" would exceed 191 characters`, { field: 'name' });
      const holders = await tx.select({ name: service.name }).from(service).where(sql`lower(${service.name}) = lower(${name})`);
      if (holders.some((h) => !moved.has(h.name.toLowerCase()))) throw conflict(`A service named "${name}" already exists`, { field: 'name' });
    }
    await tx.execute(sql`UPDATE ${service} SET name = ${newName} || substr(name, ${oldName.length + 1}) WHERE ${subtree}`);
  }
}

function checkOwnName(name: string): void {
  if (name.includes(SEPARATOR)) {
    throw badInput(`A service's own name cannot contain "${SEPARATOR}": give the parent as parentId`, { field: 'name', reason: 'NESTED_NAME' });
  }
}

function joinName(parent: string | null, own: string): string {
  const full = parent === null ? own : parent + SEPARATOR + own;
  if (full.length > 191) throw badInput(`The service path "${full}" would exceed 191 characters`, { field: 'name' });
  return full;
}

async function requireService(tx: Db, id: number, field: string): Promise<ServiceInfo> {
  const found = (await readServices(tx, [id]))[0];
  if (!found) throw notFound(`No service with id ${id}`, { field });
  return found;
}

async function assertNameFree(tx: Db, name: string, ownId: number | null): Promise<void> {
  const holders = await tx.select({ id: service.id }).from(service).where(sql`lower(${service.name}) = lower(${name})`);
  if (holders.some((h) => h.id !== ownId)) throw conflict(`A service named "${name}" already exists`, { field: 'name' });
}
