import type { Actor, ChangeWriter } from '../changes/change-writer';
import type { CustomerService } from '../customer/service';
import type { CustomerUserService } from '../customer-user/service';
import type { Db } from '../db/client';
import { lockKeys } from '../db/locks';
import { badInput } from '../errors';
import { extraCustomers, extraMembersOf } from './extra-customers';
import { requireCustomers, requireUsers } from './require';
import { lockRelation, rewriteTuples } from './tuple-relation';

/**
 * Customer user ↔ customers (AdminCustomerUserCustomer), from both sides: the whole checked set,
 * or one pair. Users and customers must exist; a user's primary customer is never an extra one.
 */
export class CustomerRelations {
  constructor(
    private readonly writer: ChangeWriter,
    private readonly users: CustomerUserService,
    private readonly customers: CustomerService,
  ) {}

  /** Makes `customerIds` the user's extra customers. Returns the stored login. */
  setCustomersOfUser(login: string, customerIds: readonly string[], actor: Actor): Promise<string> {
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, extraCustomers.name);
      const [user] = await requireUsers(this.users, [login], scope.tx);
      const ids = await requireCustomers(this.customers, customerIds, scope.tx, 'customerIds');
      await this.refusePrimaries([user!], ids, scope.tx);
      await rewriteTuples(scope, extraCustomers, [user!], () => ids);
      return user!;
    });
  }

  /** Makes `logins` the users that have this customer as an extra one. Returns the stored CustomerID. */
  setUsersOfCustomer(customerId: string, logins: readonly string[], actor: Actor): Promise<string> {
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, extraCustomers.name);
      const members = (await extraMembersOf(scope.tx, [customerId])).get(customerId.toLowerCase()) ?? [];
      await lockKeys(scope.tx, 'login', members); // a concurrent rename of a member waits
      const wanted = await requireUsers(this.users, logins, scope.tx, 'logins');
      const [id] = await requireCustomers(this.customers, [customerId], scope.tx);
      await this.refusePrimaries(wanted, [id!], scope.tx);
      const keep = new Set(wanted.map((l) => l.toLowerCase()));
      await rewriteTuples(scope, extraCustomers, [...members, ...wanted], (owner, current) => [
        ...current.filter((c) => c.toLowerCase() !== id!.toLowerCase()),
        ...(keep.has(owner.toLowerCase()) ? [id!] : []),
      ]);
      return id!;
    });
  }

  /** Adds (active) or removes one pair. Returns the stored login. */
  setMember(login: string, customerId: string, active: boolean, actor: Actor): Promise<string> {
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, extraCustomers.name);
      const [user] = await requireUsers(this.users, [login], scope.tx);
      const [id] = await requireCustomers(this.customers, [customerId], scope.tx);
      if (active) await this.refusePrimaries([user!], [id!], scope.tx);
      await rewriteTuples(scope, extraCustomers, [user!], (_owner, current) => [
        ...current.filter((c) => c.toLowerCase() !== id!.toLowerCase()),
        ...(active ? [id!] : []),
      ]);
      return user!;
    });
  }

  private async refusePrimaries(logins: readonly string[], customerIds: readonly string[], tx: Db): Promise<void> {
    const ids = new Set(customerIds.map((id) => id.toLowerCase()));
    for (const record of await this.users.getByLogins(logins, tx)) {
      const primary = String(record.values.UserCustomerID ?? '');
      if (ids.has(primary.toLowerCase())) {
        throw badInput(`"${primary}" is the primary customer of "${String(record.values.UserLogin)}" and cannot also be an extra one`, {
          reason: 'PRIMARY_CUSTOMER',
        });
      }
    }
  }
}
