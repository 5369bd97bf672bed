import type { Actor, ChangeWriter } from '../changes/change-writer';
import type { CustomerUserService } from '../customer-user/service';
import { lockKeys } from '../db/locks';
import { requireServices, requireUsers } from '../relations/require';
import { lockRelation, rewriteTuples } from '../relations/tuple-relation';
import { DEFAULT_SERVICES_LOGIN, serviceMembersOf, userServices } from './service-rows';

/**
 * Customer user ↔ service (AdminCustomerUserService) from both sides, and the default services
 * (the `<DEFAULT>` pseudo login's own assignments). These are the stored, "own" assignments.
 */
export class ServiceAssignments {
  constructor(
    private readonly writer: ChangeWriter,
    private readonly users: CustomerUserService,
  ) {}

  /** The user's whole set of own services. Returns the stored login. */
  setServicesOfUser(login: string, serviceIds: readonly number[], actor: Actor): Promise<string> {
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, userServices.name);
      const [user] = await requireUsers(this.users, [login], scope.tx);
      await requireServices(scope.tx, serviceIds, 'serviceIds');
      await rewriteTuples(scope, userServices, [user!], () => serviceIds);
      return user!;
    });
  }

  /** The default services: what every user without a valid service of its own gets. */
  setDefaultServices(serviceIds: readonly number[], actor: Actor): Promise<void> {
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, userServices.name);
      await requireServices(scope.tx, serviceIds, 'serviceIds');
      await rewriteTuples(scope, userServices, [DEFAULT_SERVICES_LOGIN], () => serviceIds);
    });
  }

  /** The whole set of users that have this service as their own (the defaults stay as they are). */
  setUsersOfService(serviceId: number, logins: readonly string[], actor: Actor): Promise<number> {
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, userServices.name);
      await requireServices(scope.tx, [serviceId]);
      const members = ((await serviceMembersOf(scope.tx, [serviceId])).get(serviceId) ?? []).filter(
        (login) => login !== DEFAULT_SERVICES_LOGIN,
      );
      await lockKeys(scope.tx, 'login', members);
      const wanted = await requireUsers(this.users, logins, scope.tx, 'logins');
      const keep = new Set(wanted.map((l) => l.toLowerCase()));
      await rewriteTuples(scope, userServices, [...members, ...wanted], (owner, current) => [
        ...current.filter((id) => id !== serviceId),
        ...(keep.has(owner.toLowerCase()) ? [serviceId] : []),
      ]);
      return serviceId;
    });
  }

  /** Adds (active) or removes one pair. Returns the stored login. */
  setMember(login: string, serviceId: number, active: boolean, actor: Actor): Promise<string> {
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, userServices.name);
      const [user] = await requireUsers(this.users, [login], scope.tx);
      await requireServices(scope.tx, [serviceId]);
      await rewriteTuples(scope, userServices, [user!], (_owner, current) => [
        ...current.filter((id) => id !== serviceId),
        ...(active ? [serviceId] : []),
      ]);
      return user!;
    });
  }
}
