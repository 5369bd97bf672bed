import type { Preference } from '../../relations/preferences';
import type { Builder } from '../builder';
import { actorOf } from './customer-user';
import { existingUser, loginOf, written } from './relation-data';
import type { RelationTypeDeps } from './relation-deps';

/** A customer user's preferences (customer_preferences), for admins only: some hold secrets (UserToken …). */
export function registerPreferences(builder: Builder, deps: RelationTypeDeps): void {
  const { CustomerUser } = deps;
  const PreferenceRef = builder.objectRef<Preference>('Preference').implement({
    description: "One of OTOBO's customer preferences, e.g. UserLanguage = de.",
    fields: (t) => ({ key: t.exposeString('key'), value: t.exposeString('value', { nullable: true }) }),
  });
  const PreferenceInput = builder.inputType('PreferenceInput', {
    fields: (t) => ({
      key: t.string({ required: true, description: "OTOBO's key, e.g. UserLanguage (not a customer-user attribute such as UserEmail)." }),
      value: t.string({ description: 'Up to 250 characters; null deletes the key.' }),
    }),
  });

  builder.objectFields(CustomerUser, (t) => ({
    preferences: t.field({
      type: [PreferenceRef],
      authScopes: { admin: true },
      description: 'The preferences, sorted by key (admins only). A login rename carries them along.',
      resolve: (u, _a, ctx) => ctx.relationLoaders.preferences.load(loginOf(u)),
    }),
  }));

  builder.mutationFields((t) => ({
    setCustomerUserPreferences: t.field({
      type: CustomerUser,
      description: 'Set these preferences (null deletes one); keys not given stay. Native attribute keys are refused (BAD_USER_INPUT, reason NATIVE_ATTRIBUTE).',
      args: { login: t.arg.string({ required: true }), preferences: t.arg({ type: [PreferenceInput], required: true }) },
      resolve: async (_r, args, ctx) => {
        const preferences = args.preferences.map((p) => ({ key: p.key, value: p.value ?? null }));
        return existingUser(ctx, await written(ctx, ctx.services.relations.preferences.set(args.login, preferences, actorOf(ctx.session))));
      },
    }),
  }));
}
