import type { FieldChange } from '../changes/change-writer';
import type { FieldDef } from '../field-map/field-def';
import type { FieldValue, FieldValues } from './types';
import { validityName } from './validity';

/** Field-by-field old → new (by GraphQL name) of what a write changed; validity as its enum name. */
export function diffValues(
  fields: readonly FieldDef[],
  before: FieldValues | null,
  after: Readonly<Record<string, FieldValue>>,
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of fields) {
    if (field.role === 'password' || !(field.attribute in after)) continue;
    const old = readable(field, before?.[field.attribute] ?? null);
    const next = readable(field, after[field.attribute] ?? null);
    if (old !== next) changes[field.graphqlName] = { old, new: next };
  }
  return changes;
}

function readable(field: FieldDef, value: FieldValue): FieldValue {
  if (field.role === 'validity') return value === null ? null : validityName(Number(value));
  return value;
}
