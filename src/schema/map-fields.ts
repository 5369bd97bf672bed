import type { FieldMap, InputFieldMap } from '@pothos/core';
import { badInput } from '../errors';
import type { FieldDef } from '../field-map/field-def';
import { isIdentifier, normaliseIdentifier } from '../records/identifier';
import { notInSelection } from '../records/input-values';
import type { AttributeFilter, FieldValue, StoredRecord } from '../records/types';
import { validityName, VALIDITY_IDS, type Validity } from '../records/validity';
import type { Types } from './builder';
import type { CommonTypes } from './types/common';

/**
 * The one loop that turns Map rows into GraphQL fields: `var` → String, `int` → Int, the ValidID
 * row → the Validity enum; labels become descriptions. Output, create input, update input,
 * filter and order fields all come from here, so a Map row added for `room` appears everywhere.
 */

type OutputBuilder = PothosSchemaTypes.ObjectFieldBuilder<Types, StoredRecord>;
type InputBuilder = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

const describe = (field: FieldDef, extra?: string) =>
  [field.label ?? field.attribute, extra].filter(Boolean).join('. ') + ` (Map attribute ${field.attribute}).`;

export function readableFields(fields: readonly FieldDef[]): FieldDef[] {
  return fields.filter((f) => f.role !== 'password');
}

/**
 * The key (login, CustomerID) and validity are always present. Every other field is nullable on
 * output even when the Map marks it required: "required" is a rule for writes, while stored data
 * may predate the rule (a required `room` column added to a table full of users, OTOBO rows holding
 * '' which we read as null, directory entries lacking an attribute).
 */
export function mapOutputFields(t: OutputBuilder, fields: readonly FieldDef[], common: CommonTypes): FieldMap {
  const result: FieldMap = {};
  for (const field of readableFields(fields)) {
    const read = (record: StoredRecord) => record.values[field.attribute] ?? null;
    const description = describe(field);
    if (field.role === 'validity') {
      result[field.graphqlName] = t.field({ type: common.Validity, description, resolve: (r) => validityName(read(r) as number | null) });
    } else if (field.role === 'key') {
      result[field.graphqlName] = t.string({ description, resolve: (r) => String(read(r)) });
    } else if (field.type === 'int') {
      result[field.graphqlName] = t.int({ description, nullable: true, resolve: (r) => read(r) as number | null });
    } else {
      result[field.graphqlName] = t.string({ description, nullable: true, resolve: (r) => read(r) as string | null });
    }
  }
  return result;
}

/**
 * Create: required rows are non-null (validity defaults to VALID; an empty password is generated).
 * Update: every field optional (omitted = unchanged, null = cleared); readonly rows are absent.
 */
export function mapInputFields(t: InputBuilder, fields: readonly FieldDef[], mode: 'create' | 'update', common: CommonTypes): InputFieldMap {
  const result: InputFieldMap = {};
  for (const field of fields) {
    if (mode === 'update' && field.readonly) continue;
    const required = mode === 'create' && field.required;
    if (field.role === 'password') {
      const extra = mode === 'create' ? 'Write-only; leave empty to have one generated and returned once' : 'Write-only; null removes the password';
      result[field.graphqlName] = t.string({ description: describe(field, extra) });
    } else if (field.role === 'validity') {
      result[field.graphqlName] =
        mode === 'create'
          ? t.field({ type: common.Validity, required: true, defaultValue: 'VALID', description: describe(field) })
          : t.field({ type: common.Validity, description: describe(field) });
    } else if (field.type === 'int') {
      result[field.graphqlName] = t.int({ required, description: describe(field) });
    } else {
      result[field.graphqlName] = t.string({ required, description: describe(field) });
    }
  }
  return result;
}

/**
 * Structured search: text exact and case-insensitive (`*` wildcards), integers exact, validity and
 * selection fields a set of values (as OTOBO's CustomerSearchDetail takes "Selection" fields as an array).
 */
export function mapFilterFields(t: InputBuilder, fields: readonly FieldDef[], common: CommonTypes): InputFieldMap {
  const result: InputFieldMap = {};
  for (const field of readableFields(fields)) {
    if (field.role === 'validity') {
      result[field.graphqlName] = t.field({
        type: [common.Validity],
        description: 'Any of these validities (overrides includeInvalid).',
      });
    } else if (field.options) {
      result[field.graphqlName] = t.stringList({ description: describe(field, 'Any of these selection values') });
    } else if (field.type === 'int') {
      result[field.graphqlName] = t.int({ description: describe(field, 'Exact value') });
    } else {
      result[field.graphqlName] = t.string({ description: describe(field, 'Exact, case-insensitive; * is a wildcard') });
    }
  }
  return result;
}

/** Enum values for ordering: `firstName` → FIRST_NAME, valued by the Map attribute. */
export function orderFieldValues(fields: readonly FieldDef[]): Record<string, { value: string; description: string }> {
  const values: Record<string, { value: string; description: string }> = {};
  for (const field of readableFields(fields)) {
    values[constantCase(field.graphqlName)] = { value: field.attribute, description: field.label ?? field.attribute };
  }
  return values;
}

/** GraphQL input (by field name) → values by attribute; absent keys stay absent (patch semantics). */
export function inputToAttributes(fields: readonly FieldDef[], input: Readonly<Record<string, unknown>>): Record<string, FieldValue | undefined> {
  const values: Record<string, FieldValue | undefined> = {};
  for (const field of fields) {
    if (!(field.graphqlName in input)) continue;
    const value = input[field.graphqlName] as FieldValue | Validity | undefined;
    values[field.attribute] = field.role === 'validity' && typeof value === 'string' ? VALIDITY_IDS[value as Validity] : (value as FieldValue);
  }
  return values;
}

/** The filter input → attribute filters (identifiers NFC-normalised, as stored), plus the validity set when one was given. */
export function filtersFromInput(
  fields: readonly FieldDef[],
  filter: Readonly<Record<string, unknown>>,
): { filters: AttributeFilter[]; validIds: number[] | null } {
  const filters: AttributeFilter[] = [];
  let validIds: number[] | null = null;
  for (const field of readableFields(fields)) {
    const value = filter[field.graphqlName];
    if (value === undefined || value === null || value === '') continue;
    if (field.role === 'validity') validIds = (value as Validity[]).map((v) => VALIDITY_IDS[v]);
    else if (field.options) filters.push({ attribute: field.attribute, kind: 'in', values: selectedValues(field, value as string[]) });
    else if (typeof value === 'number') filters.push({ attribute: field.attribute, kind: 'in', values: [value] });
    else {
      const text = String(value);
      filters.push({ attribute: field.attribute, kind: 'pattern', value: isIdentifier(field) ? normaliseIdentifier(text) : text });
    }
  }
  return { filters, validIds };
}

/** As in OTOBO, a value that is not one of the selection's is refused rather than matching nothing. */
function selectedValues(field: FieldDef, values: readonly string[]): string[] {
  const allowed = new Set(field.options!.map((option) => option.value));
  if (values.every((value) => allowed.has(value))) return [...values];
  throw badInput(`filter.${notInSelection(field)}`, { field: `filter.${field.graphqlName}`, reason: 'NOT_IN_SELECTION' });
}

function constantCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
