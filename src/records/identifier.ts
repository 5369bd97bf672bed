import type { FieldDef } from '../field-map/field-def';

/**
 * Logins, emails, CustomerIDs and customer names identify records, so two spellings a person
 * cannot tell apart must not make two records: values are NFC-normalised (a precomposed and a
 * decomposed `josé` are one login), and characters that are invisible or reorder text are refused.
 */
const IDENTIFIER_ROLES = new Set<FieldDef['role']>(['key', 'email', 'customerId', 'name']);

export function isIdentifier(field: FieldDef): boolean {
  return IDENTIFIER_ROLES.has(field.role);
}

export function normaliseIdentifier(value: string): string {
  return value.normalize('NFC');
}

// C0 and C1 controls (U+0085 included), DEL; bidi marks, embeddings, overrides and isolates;
// zero-width space, joiners, word joiner and BOM; line and paragraph separators.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u2028\u2029\ufeff]/u;

/** The first character an identifier must not contain, as `U+XXXX`, or null. */
export function hiddenCharacter(value: string): string | null {
  const found = HIDDEN.exec(value);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
}
