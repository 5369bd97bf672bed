import type { Builder } from '../builder';
import { actorOf } from './customer-user';
import { existingCustomer, existingUser, loadAll, loginOf, userCustomerIds, userCustomers, written } from './relation-data';
import type { RelationTypeDeps } from './relation-deps';

/** Customer user ↔ customers (customer_user_customer), from both sides. */
export function registerCustomerRelations(builder: Builder, deps: RelationTypeDeps): void {
  const { CustomerUser, Customer } = deps;

  builder.objectFields(CustomerUser, (t) => ({
    customerIds: t.stringList({
      description:
        "The user's CustomerIDs in OTOBO's order: the primary one (unless CustomerUserExcludePrimaryCustomerID), then the extra customers by CustomerID; no duplicates.",
      resolve: (u, _a, ctx) => userCustomerIds(ctx, u),
    }),
    customers: t.field({
      type: [Customer],
      description: 'The existing customers among customerIds, in that order.',
      resolve: (u, _a, ctx) => userCustomers(ctx, u),
    }),
    extraCustomerIds: t.stringList({
      description: 'The customers the user belongs to besides its primary one (as stored), by CustomerID.',
      resolve: async (u, _a, ctx) => [...(await ctx.relationLoaders.byLogin.load(loginOf(u))).extraCustomerIds],
    }),
  }));

  builder.objectFields(Customer, (t) => ({
    extraUsers: t.field({
      type: [CustomerUser],
      description: 'Customer users that belong to this customer besides their primary one (sorted by login; invalid users included, see their validity).',
      resolve: async (c, _a, ctx) => {
        const logins = await ctx.relationLoaders.extraMembers.load(String(c.values.CustomerID));
        return (await loadAll(ctx.loaders.customerUser, logins)).filter((u) => u !== null);
      },
    }),
  }));

  const primaryNote = " A user's primary customer cannot be an extra one (BAD_USER_INPUT, reason PRIMARY_CUSTOMER); unknown users or customers are NOT_FOUND.";
  builder.mutationFields((t) => ({
    setCustomerUserCustomers: t.field({
      type: CustomerUser,
      description: "Make these the user's extra customers (the checked set of the admin screen)." + primaryNote,
      args: { login: t.arg.string({ required: true }), customerIds: t.arg.stringList({ required: true }) },
      resolve: async (_r, args, ctx) =>
        existingUser(ctx, await written(ctx, ctx.services.relations.customerRelations.setCustomersOfUser(args.login, args.customerIds, actorOf(ctx.session)))),
    }),
    setCustomerCustomerUsers: t.field({
      type: Customer,
      description: 'Make these the users that belong to this customer besides their primary one.' + primaryNote,
      args: { customerId: t.arg.string({ required: true }), logins: t.arg.stringList({ required: true }) },
      resolve: async (_r, args, ctx) =>
        existingCustomer(ctx, await written(ctx, ctx.services.relations.customerRelations.setUsersOfCustomer(args.customerId, args.logins, actorOf(ctx.session)))),
    }),
    addCustomerUserCustomer: t.field({
      type: CustomerUser,
      description: 'Add one extra customer to a user (no effect when it is one already).' + primaryNote,
      args: { login: t.arg.string({ required: true }), customerId: t.arg.string({ required: true }) },
      resolve: async (_r, args, ctx) =>
        existingUser(ctx, await written(ctx, ctx.services.relations.customerRelations.setMember(args.login, args.customerId, true, actorOf(ctx.session)))),
    }),
    removeCustomerUserCustomer: t.field({
      type: CustomerUser,
      description: 'Remove one extra customer from a user (no effect when it is not one).',
      args: { login: t.arg.string({ required: true }), customerId: t.arg.string({ required: true }) },
      resolve: async (_r, args, ctx) =>
        existingUser(ctx, await written(ctx, ctx.services.relations.customerRelations.setMember(args.login, args.customerId, false, actorOf(ctx.session)))),
    }),
  }));
}
