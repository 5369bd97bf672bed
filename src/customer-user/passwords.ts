import { badInput } from '../errors';
import type { FieldDef } from '../field-map/field-def';
import { BCRYPT_MAX_PASSWORD_BYTES, generatePassword } from '../passwords';
import type { PasswordHasher } from '../passwords/hash-pool';
import type { FieldValue } from '../records/types';

export interface PasswordSettings {
  readonly generatedLength: number;
  readonly bcryptCost: number;
}

/** What a write does to the stored password: keep it, set a hash, or remove it (null). */
export interface PasswordChange {
  readonly stored?: string | null;
  /** The generated clear-text password, to be returned once and never stored. */
  readonly generated: string | null;
}

/** A checked password change before hashing: `clear` is the password still to be hashed. */
export interface CheckedPassword extends PasswordChange {
  readonly clear?: string;
}

/**
 * Create: an empty password is generated and returned once (OTOBO's admin screen stores none).
 * Update: omitted keeps it, null removes it (the user can no longer log in), a value replaces it.
 * Cheap and synchronous: the write checks everything else before it pays for the hash.
 */
export function checkPassword(
  fields: readonly FieldDef[],
  given: FieldValue | undefined,
  mode: 'create' | 'update',
  settings: PasswordSettings,
): CheckedPassword {
  const row = fields.find((f) => f.role === 'password');
  const field = row?.graphqlName ?? 'password';
  if (!row) {
    if (given !== undefined && given !== null) throw badInput('This customer-user backend stores no passwords', { field });
    return { generated: null };
  }
  if (mode === 'update') {
    if (given === undefined) return { generated: null };
    if (given === null) return { stored: null, generated: null };
    if (given === '') throw badInput(`${field} must not be empty; send null to remove the password`, { field });
  }
  const generated = typeof given === 'string' && given !== '' ? null : generatePassword(settings.generatedLength);
  const clear = generated ?? String(given);
  if (Buffer.byteLength(clear, 'utf8') > BCRYPT_MAX_PASSWORD_BYTES) {
    throw badInput(`${field} is longer than ${BCRYPT_MAX_PASSWORD_BYTES} bytes`, { field });
  }
  return { clear, generated };
}

/** Hashes a checked password on the hashing pool (bcrypt is deliberately slow; BUSY when it is full). */
export async function hashChecked(password: CheckedPassword, hasher: PasswordHasher, cost: number): Promise<PasswordChange> {
  if (password.clear === undefined) return password;
  return { stored: await hasher.hash(password.clear, cost), generated: password.generated };
}
