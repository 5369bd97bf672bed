import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DomainError } from '../errors';
import type { GraphQLContext } from './context';

export interface SchemaTypes {
  Context: GraphQLContext;
  AuthScopes: {
    /** Any authenticated agent (admin or reader). */
    agent: boolean;
    /** Agents allowed to change data. */
    admin: boolean;
  };
  Scalars: {
    DateTime: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
}

export type Types = PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>;
export type Builder = PothosSchemaTypes.SchemaBuilder<Types>;

/**
 * A fresh builder per schema: Pothos builders keep state, and each config (Map) gets its own schema.
 * Authorisation lives here, in one place: resolvers contain no role checks.
 */
export function createBuilder(): Builder {
  return new SchemaBuilder<SchemaTypes>({
    plugins: [ScopeAuthPlugin],
    defaultFieldNullability: false,
    scopeAuth: {
      authScopes: (context) => ({
        agent: context.session !== null,
        admin: context.session?.role === 'admin',
      }),
      unauthorizedError: (_parent, context) =>
        context.session === null
          ? new DomainError('UNAUTHENTICATED', 'Authentication required: send "Authorization: Bearer <API token>"')
          : new DomainError('FORBIDDEN', `The ${context.session.role} role may not do this`),
    },
  });
}
