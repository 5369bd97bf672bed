import { validityName } from '../../records/validity';
import { byId, listedIn } from '../../relations/catalog-index';
import { DEFAULT_SERVICES_LOGIN, type ServiceInfo } from '../../service-catalog/service-rows';
import { childrenOf, parentOf, shortName } from '../../service-catalog/service-tree';
import type { Builder } from '../builder';
import type { GraphQLContext } from '../context';
import { actorOf } from './customer-user';
import { existingUser, loadAll, loginOf, userServices, written, type EffectiveServices } from './relation-data';
import { catalogInput, type RelationTypeDeps } from './relation-deps';

/** Services (hierarchical by name), customer user ↔ service from both sides, default services. */
export function registerServiceCatalog(builder: Builder, deps: RelationTypeDeps): void {
  const { common, CustomerUser } = deps;
  const Service = builder.objectRef<ServiceInfo>('Service');
  Service.implement({
    description: "A service. OTOBO stores the whole path as the name (Parent::Child); parent and children give the tree.",
    fields: (t) => ({
      id: t.exposeInt('id'),
      name: t.string({ description: 'Its own name (the last part of the path).', resolve: (s) => shortName(s.name) }),
      fullName: t.exposeString('name', { description: 'The whole path, e.g. "IT::Printing".' }),
      comment: t.exposeString('comment', { nullable: true }),
      validity: t.field({ type: common.Validity, resolve: (s) => validityName(s.validId) }),
      parent: t.field({ type: Service, nullable: true, resolve: async (s, _a, ctx) => parentOf(s, await ctx.relationLoaders.services()) }),
      children: t.field({
        type: [Service],
        description: 'Sub-services, valid or not, by name.',
        resolve: async (s, _a, ctx) => childrenOf(s, await ctx.relationLoaders.services()),
      }),
      isDefault: t.boolean({
        description: 'One of the default services (those users without a valid service of their own get).',
        resolve: async (s, _a, ctx) => (await defaultIds(ctx)).includes(s.id),
      }),
      customerUsers: t.field({
        type: [CustomerUser],
        description: 'Users that have this service as their own (sorted by login; the defaults are not listed here).',
        resolve: async (s, _a, ctx) => {
          const logins = (await ctx.relationLoaders.serviceMembers.load(s.id)).filter((l) => l !== DEFAULT_SERVICES_LOGIN);
          return (await loadAll(ctx.loaders.customerUser, logins)).filter((u) => u !== null);
        },
      }),
    }),
  });

  const Effective = builder.objectRef<EffectiveServices>('CustomerUserServices').implement({
    fields: (t) => ({
      services: t.field({ type: [Service], description: 'Valid services only, by name.', resolve: (e) => [...e.services] }),
      fromDefaults: t.boolean({
        description: 'True when the user has no valid service of its own, so these are the default services.',
        resolve: (e) => e.fromDefaults,
      }),
    }),
  });

  builder.objectFields(CustomerUser, (t) => ({
    services: t.field({
      type: Effective,
      description: 'The services the user may use: its own valid ones, or the default services when it has none (never both).',
      resolve: (u, _a, ctx) => userServices(ctx, u),
    }),
    ownServices: t.field({
      type: [Service],
      description: 'The services assigned to the user itself, valid or not (what the assignment screen shows).',
      resolve: async (u, _a, ctx) => {
        const [own, all] = await Promise.all([ctx.relationLoaders.byLogin.load(loginOf(u)), ctx.relationLoaders.services()]);
        return listedIn(all, own.serviceIds);
      },
    }),
  }));

  const validOnly = (all: readonly ServiceInfo[], includeInvalid: boolean | null | undefined) =>
    all.filter((s) => includeInvalid || s.validId === 1);
  builder.queryFields((t) => ({
    services: t.field({
      type: [Service],
      description: 'Services by full name. Without includeInvalid only valid ones.',
      args: { includeInvalid: t.arg.boolean({ defaultValue: false }) },
      resolve: async (_r, args, ctx) => validOnly(await ctx.relationLoaders.services(), args.includeInvalid),
    }),
    serviceTree: t.field({
      type: [Service],
      description: 'The top-level services; follow `children` for the rest (valid and invalid, as the admin screen shows them).',
      resolve: async (_r, _a, ctx) => childrenOf(null, await ctx.relationLoaders.services()),
    }),
    service: t.field({
      type: Service,
      nullable: true,
      args: { id: t.arg.int({ required: true }) },
      resolve: async (_r, args, ctx) => byId(await ctx.relationLoaders.services(), args.id) ?? null,
    }),
    defaultServices: t.field({
      type: [Service],
      description: "The default services (OTOBO's <DEFAULT> assignments), valid or not.",
      resolve: async (_r, _a, ctx) => {
        const ids = await defaultIds(ctx);
        return listedIn(await ctx.relationLoaders.services(), ids);
      },
    }),
  }));

  const createInput = builder.inputType('ServiceCreateInput', {
    fields: (t) => ({
      name: t.string({ required: true, description: 'Its own name, without "::".' }),
      parentId: t.int({ description: 'The parent service; omitted for a top-level service.' }),
      comment: t.string(),
      validity: t.field({ type: common.Validity, defaultValue: 'VALID' }),
    }),
  });
  const updateInput = builder.inputType('ServiceUpdateInput', {
    description: 'A patch: omitted fields stay unchanged; parentId null moves it to the top level. Renaming or moving renames the sub-services too.',
    fields: (t) => ({ name: t.string(), parentId: t.int(), comment: t.string(), validity: t.field({ type: common.Validity }) }),
  });

  const catalog = (ctx: GraphQLContext) => ctx.services.relations.serviceCatalog;
  const assignments = (ctx: GraphQLContext) => ctx.services.relations.serviceAssignments;
  const serviceById = async (ctx: GraphQLContext, id: number) => byId(await ctx.relationLoaders.services(), id)!;
  builder.mutationFields((t) => ({
    createService: t.field({
      type: Service,
      args: { input: t.arg({ type: createInput, required: true }) },
      resolve: (_r, args, ctx) =>
        written(ctx, catalog(ctx).create({ ...catalogInput(args.input), name: args.input.name, parentId: args.input.parentId }, actorOf(ctx.session))),
    }),
    updateService: t.field({
      type: Service,
      args: { id: t.arg.int({ required: true }), input: t.arg({ type: updateInput, required: true }) },
      resolve: (_r, args, ctx) => {
        const patch = { ...catalogInput(args.input), ...('parentId' in args.input ? { parentId: args.input.parentId ?? null } : {}) };
        return written(ctx, catalog(ctx).update(args.id, patch, actorOf(ctx.session)));
      },
    }),
    setCustomerUserServices: t.field({
      type: CustomerUser,
      description: "Make these the user's own services (the checked set). Unknown users or services are NOT_FOUND.",
      args: { login: t.arg.string({ required: true }), serviceIds: t.arg.intList({ required: true }) },
      resolve: async (_r, args, ctx) =>
        existingUser(ctx, await written(ctx, assignments(ctx).setServicesOfUser(args.login, args.serviceIds, actorOf(ctx.session)))),
    }),
    setServiceCustomerUsers: t.field({
      type: Service,
      description: 'Make these the users that have this service as their own.',
      args: { serviceId: t.arg.int({ required: true }), logins: t.arg.stringList({ required: true }) },
      resolve: async (_r, args, ctx) =>
        serviceById(ctx, await written(ctx, assignments(ctx).setUsersOfService(args.serviceId, args.logins, actorOf(ctx.session)))),
    }),
    addCustomerUserService: t.field({
      type: CustomerUser,
      args: { login: t.arg.string({ required: true }), serviceId: t.arg.int({ required: true }) },
      resolve: async (_r, args, ctx) =>
        existingUser(ctx, await written(ctx, assignments(ctx).setMember(args.login, args.serviceId, true, actorOf(ctx.session)))),
    }),
    removeCustomerUserService: t.field({
      type: CustomerUser,
      args: { login: t.arg.string({ required: true }), serviceId: t.arg.int({ required: true }) },
      resolve: async (_r, args, ctx) =>
        existingUser(ctx, await written(ctx, assignments(ctx).setMember(args.login, args.serviceId, false, actorOf(ctx.session)))),
    }),
    setDefaultServices: t.field({
      type: [Service],
      description: 'Make these the default services. Returns them.',
      args: { serviceIds: t.arg.intList({ required: true }) },
      resolve: async (_r, args, ctx) => {
        await written(ctx, assignments(ctx).setDefaultServices(args.serviceIds, actorOf(ctx.session)));
        const ids = await defaultIds(ctx);
        return listedIn(await ctx.relationLoaders.services(), ids);
      },
    }),
  }));
}

async function defaultIds(ctx: GraphQLContext): Promise<readonly number[]> {
  return (await ctx.relationLoaders.byLogin.load(DEFAULT_SERVICES_LOGIN)).serviceIds;
}
