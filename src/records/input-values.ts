import type { TableColumns } from '../backends/db/table-columns';
import { badInput, type DomainError } from '../errors';
import type { FieldDef } from '../field-map/field-def';
import type { FieldValue } from './types';

export interface InputIssue {
  /** The GraphQL input field name. */
  readonly field: string;
  readonly message: string;
}

/** Roles whose values are identifiers: surrounding blanks are dropped, control characters refused. */
const IDENTIFIER_ROLES = new Set<FieldDef['role']>(['key', 'email', 'customerId', 'name']);
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
};

/**
 * Checks and normalises values (keyed by Map attribute) before they reach a backend: required
 * fields present on create and not cleared on update, text no longer than its column (counted in
 * characters, as PostgreSQL does), integers within their column's range. Whitespace-only text
 * counts as empty and is stored as NULL.
 */
export function checkInputValues(
  fields: readonly FieldDef[],
  given: Readonly<Record<string, FieldValue | undefined>>,
  mode: 'create' | 'update',
  columns: TableColumns,
): { values: Record<string, FieldValue>; issues: InputIssue[] } {
  const values: Record<string, FieldValue> = {};
  const issues: InputIssue[] = [];
  for (const field of fields) {
    if (field.role === 'password') continue;
    const raw = given[field.attribute];
    if (raw === undefined) {
      if (mode === 'create' && field.required) issues.push({ field: field.graphqlName, message: `${field.graphqlName} is required` });
      continue;
    }
    const value = normalise(field, raw);
    if (value === null) {
      if (field.required) {
        const message = mode === 'create' ? `${field.graphqlName} is required` : `${field.graphqlName} is required and cannot be cleared`;
        issues.push({ field: field.graphqlName, message });
      }
      values[field.attribute] = null;
      continue;
    }
    const problem = typeof value === 'string' ? textProblem(field, value, columns) : integerProblem(field, value, columns);
    if (problem) issues.push({ field: field.graphqlName, message: problem });
    values[field.attribute] = value;
  }
  return { values, issues };
}

/** One error carrying every problem: the message names the first, `invalidFields` lists them all. */
export function invalidInput(issues: readonly InputIssue[]): DomainError {
  const error = badInput(issues[0]!.message, { field: issues[0]!.field, reason: 'INVALID_FIELD' });
  Object.assign(error.extensions, { invalidFields: issues.map((i) => ({ field: i.field, message: i.message })) });
  return error;
}

function normalise(field: FieldDef, raw: FieldValue): FieldValue {
  if (raw === null || typeof raw === 'number') return raw;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  return IDENTIFIER_ROLES.has(field.role) ? trimmed : raw;
}

function textProblem(field: FieldDef, value: string, columns: TableColumns): string | null {
  if (IDENTIFIER_ROLES.has(field.role) && CONTROL_CHARACTERS.test(value)) {
    return `${field.graphqlName} must not contain control characters`;
  }
  const max = columns.get(field.storage)?.maxLength;
  const length = [...value].length;
  if (max != null && length > max) return `${field.graphqlName} is longer than ${max} characters (${length})`;
  return null;
}

function integerProblem(field: FieldDef, value: number, columns: TableColumns): string | null {
  const range = INTEGER_RANGES[columns.get(field.storage)?.dataType ?? ''];
  if (!Number.isInteger(value)) return `${field.graphqlName} must be a whole number`;
  if (range && (value < range[0] || value > range[1])) {
    return `${field.graphqlName} must be between ${range[0]} and ${range[1]}`;
  }
  return null;
}
