import type { Role } from '../../auth/session';
import type { ApiTokenInfo } from '../../auth/token-store';
import type { Builder } from '../builder';
import { actorOf } from './customer-user';

/** Database API tokens: list, create (the secret is answered once) and revoke; admins only. */
export function registerApiTokens(builder: Builder) {
  const ApiTokenRole = builder.enumType('ApiTokenRole', {
    values: {
      ADMIN: { value: 'admin', description: 'Reads and writes.' },
      READER: { value: 'reader', description: 'Reads only.' },
    } as const,
  });

  const ApiToken = builder.objectRef<ApiTokenInfo>('ApiToken').implement({
    description: 'An API token stored in the database (its secret is never shown again after creation).',
    fields: (t) => ({
      name: t.exposeString('name'),
      role: t.field({ type: ApiTokenRole, resolve: (token) => token.role as Role }),
      agentId: t.exposeInt('agentId', { description: 'The OTOBO agent recorded as create_by/change_by for its writes.' }),
      createdAt: t.field({ type: 'DateTime', resolve: (token) => token.createdAt }),
      revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (token) => token.revokedAt }),
    }),
  });

  const CreatedApiToken = builder.objectRef<{ token: string; apiToken: ApiTokenInfo }>('CreatedApiToken').implement({
    fields: (t) => ({
      token: t.exposeString('token', { description: 'Send as "Authorization: Bearer <token>". Shown only in this answer.' }),
      apiToken: t.field({ type: ApiToken, resolve: (created) => created.apiToken }),
    }),
  });

  builder.queryFields((t) => ({
    apiTokens: t.field({
      type: [ApiToken],
      authScopes: { admin: true },
      description: 'The API tokens stored in the database, revoked ones included (admins only; config-file tokens are not listed).',
      resolve: (_root, _args, ctx) => ctx.services.apiTokens.list(),
    }),
  }));

  builder.mutationFields((t) => ({
    createApiToken: t.field({
      type: CreatedApiToken,
      description: 'Create an API token; the answer carries the secret, which cannot be retrieved later.',
      args: {
        name: t.arg.string({ required: true, description: 'Unique; letters, digits and . _ @ - (at most 100).' }),
        role: t.arg({ type: ApiTokenRole, required: true }),
        agentId: t.arg.int({ defaultValue: 1, description: 'An existing OTOBO agent (users.id).' }),
      },
      resolve: (_root, args, ctx) => ctx.services.apiTokens.create(args.name, args.role, args.agentId ?? 1, actorOf(ctx.session)),
    }),
    revokeApiToken: t.field({
      type: ApiToken,
      description: 'Revoke a database API token: it is refused from now on. Revoking twice is harmless.',
      args: { name: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.apiTokens.revoke(args.name, actorOf(ctx.session)),
    }),
  }));
}
