import type { Entry } from 'ldapts';
import type { FieldDef } from '../../field-map/field-def';
import type { FieldValue, StoredRecord } from '../../records/types';

/**
 * An attribute's values, looked up case-insensitively (ldapts keys entries by the server's
 * canonical spelling, which may differ from the Map's); none when it is absent.
 */
export function attributeValues(entry: Entry, attribute: string): string[] {
  const wanted = attribute.toLowerCase();
  const key = Object.keys(entry).find((k) => k !== 'dn' && k.toLowerCase() === wanted);
  const raw = key === undefined ? [] : entry[key]!;
  return (Array.isArray(raw) ? raw : [raw]).map((value) => (typeof value === 'string' ? value : value.toString('utf8')));
}

/** A multi-valued attribute gives its first value, as in OTOBO's LDAP backend; '' and absent give null. */
export function firstValue(entry: Entry, attribute: string): string | null {
  const [value] = attributeValues(entry, attribute);
  return value === undefined || value === '' ? null : value;
}

/**
 * An entry as a record of the Map. The directory holds no ValidID: a ValidID row is given
 * `validId` (from CustomerUserValidFilter), its storage is never read. No create/change metadata.
 */
export function entryToRecord(entry: Entry, fields: readonly FieldDef[], source: string, validId: number): StoredRecord {
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    if (field.role === 'password') continue;
    values[field.attribute] = field.role === 'validity' ? validId : typed(firstValue(entry, field.storage), field.type);
  }
  return { source, values, createTime: null, createBy: null, changeTime: null, changeBy: null };
}

function typed(value: string | null, type: FieldDef['type']): FieldValue {
  if (value === null || type === 'var') return value;
  const number = Number(value);
  return Number.isInteger(number) ? number : null;
}
