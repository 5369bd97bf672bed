import { and, asc, sql } from 'drizzle-orm';
import type { Actor, ChangeWriter, FieldChange } from '../changes/change-writer';
import type { CustomerUserService } from '../customer-user/service';
import type { Db } from '../db/client';
import { customerPreferences } from '../db/schema';
import { badInput } from '../errors';
import { requireUsers } from './require';
import { ciMatches, groupBy } from './tuple-relation';

export interface Preference {
  readonly key: string;
  readonly value: string | null;
}

/** Keys OTOBO's SetPreferences refuses: they are the user's own attributes, not preferences. */
const NATIVE_KEYS = new Set([
  'UserID', 'UserLogin', 'UserPassword', 'UserFirstname', 'UserLastname', 'UserFullname', 'UserStreet', 'UserCity',
  'UserZip', 'UserCountry', 'UserComment', 'UserCustomerID', 'UserTitle', 'UserEmail', 'ChangeTime', 'ChangeBy',
  'CreateTime', 'CreateBy', 'UserPhone', 'UserMobile', 'UserFax', 'UserMailString', 'ValidID',
]);

/** Values of these keys are secrets: the audit log records only that they changed. */
const SECRET_KEY = /token|secret|pw|password/i;

/** A customer user's preferences (customer_preferences): OTOBO's keys and values, for admins. */
export class PreferenceService {
  constructor(
    private readonly writer: ChangeWriter,
    private readonly users: CustomerUserService,
  ) {}

  /**
   * Sets the given keys (a null value deletes the key); keys not given stay. OTOBO silently
   * ignores native attribute keys; we refuse them. Returns the stored login.
   */
  set(login: string, preferences: readonly Preference[], actor: Actor): Promise<string> {
    for (const { key, value } of preferences) checkPreference(key, value);
    return this.writer.write(actor, async (scope) => {
      const [user] = await requireUsers(this.users, [login], scope.tx);
      const before = new Map(((await readPreferences(scope.tx, [user!])).get(user!.toLowerCase()) ?? []).map((p) => [p.key, p.value]));
      const changes: Record<string, FieldChange> = {};
      for (const { key, value } of preferences) {
        const old = before.has(key) ? (before.get(key) ?? '') : null;
        if (old === value) continue;
        const secret = SECRET_KEY.test(key);
        changes[`preferences.${key}`] = { old: secret && old !== null ? '(set)' : old, new: secret && value !== null ? '(set)' : value };
        await scope.tx
          .delete(customerPreferences)
          .where(and(ciMatches(customerPreferences.userId, [user!]), sql`${customerPreferences.preferencesKey} = ${key}`));
        if (value !== null) await scope.tx.insert(customerPreferences).values({ userId: user!, preferencesKey: key, preferencesValue: value });
      }
      if (Object.keys(changes).length > 0) scope.record({ entityType: 'CustomerUser', key: user!, action: 'update', changes });
      return user!;
    });
  }
}

function checkPreference(key: string, value: string | null): void {
  if (key.trim() === '' || key.length > 150) throw badInput('A preference key needs 1 to 150 characters', { field: 'key' });
  if (NATIVE_KEYS.has(key)) {
    throw badInput(`"${key}" is an attribute of the customer user, not a preference: change it with updateCustomerUser`, {
      field: 'key',
      reason: 'NATIVE_ATTRIBUTE',
    });
  }
  if (value !== null && value.length > 250) throw badInput('A preference value may have at most 250 characters', { field: 'value' });
}

/** Preferences of these logins, by lower-cased login, sorted by key. */
export async function readPreferences(db: Db, logins: readonly string[]): Promise<Map<string, Preference[]>> {
  const rows = await db
    .select({ login: customerPreferences.userId, key: customerPreferences.preferencesKey, value: customerPreferences.preferencesValue })
    .from(customerPreferences)
    .where(ciMatches(customerPreferences.userId, logins))
    .orderBy(asc(customerPreferences.preferencesKey));
  return groupBy(rows, (r) => r.login.toLowerCase(), (r) => ({ key: r.key, value: r.value }));
}
