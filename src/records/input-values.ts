import type { TableColumns } from '../backends/db/table-columns';
import { badInput, type DomainError } from '../errors';
import type { FieldDef } from '../field-map/field-def';
import { hiddenCharacter, isIdentifier, normaliseIdentifier } from './identifier';
import type { FieldValue } from './types';

export interface InputIssue {
  /** The GraphQL input field name. */
  readonly field: string;
  readonly message: string;
  /** Set where one problem deserves its own stable reason (else INVALID_FIELD). */
  readonly reason?: string;
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
};

/**
 * Checks and normalises values (keyed by Map attribute) before they reach a backend: required
 * fields present on create and not cleared on update, text no longer than its column (counted in
 * characters, as PostgreSQL does), integers within their column's range, selection fields one of
 * their values. Whitespace-only text
 * counts as empty and is stored as NULL. Identifiers are trimmed and NFC-normalised, and refused
 * when they hold control, bidi or invisible characters (identifier.ts).
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
    const problem =
      selectionProblem(field, value) ?? (typeof value === 'string' ? textProblem(field, value, columns) : integerProblem(field, value, columns));
    if (problem) issues.push({ field: field.graphqlName, ...problem });
    values[field.attribute] = value;
  }
  return { values, issues };
}

/** One error carrying every problem: the message names the first, `invalidFields` lists them all. */
export function invalidInput(issues: readonly InputIssue[]): DomainError {
  const error = badInput(issues[0]!.message, { field: issues[0]!.field, reason: issues[0]!.reason ?? 'INVALID_FIELD' });
  Object.assign(error.extensions, { invalidFields: issues.map((i) => ({ field: i.field, message: i.message })) });
  return error;
}

function normalise(field: FieldDef, raw: FieldValue): FieldValue {
  if (raw === null || typeof raw === 'number') return raw;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  return isIdentifier(field) ? normaliseIdentifier(trimmed) : raw;
}

type Problem = Omit<InputIssue, 'field'>;

/** A selection field takes only its configured values (empty stays allowed unless required, above). */
function selectionProblem(field: FieldDef, value: FieldValue): Problem | null {
  if (!field.options || field.options.some((option) => option.value === value)) return null;
  return { message: notInSelection(field), reason: 'NOT_IN_SELECTION' };
}

export const notInSelection = (field: FieldDef) =>
  `${field.graphqlName} must be one of its configured selection values (listed as options in the field metadata)`;

function textProblem(field: FieldDef, value: string, columns: TableColumns): Problem | null {
  const hidden = isIdentifier(field) ? hiddenCharacter(value) : null;
  if (hidden) {
    return {
      message: `${field.graphqlName} must not contain control, bidi or invisible characters (found ${hidden})`,
      reason: 'INVISIBLE_CHARACTER',
    };
  }
  const max = columns.get(field.storage)?.maxLength;
  const length = [...value].length;
  if (max != null && length > max) return { message: `${field.graphqlName} is longer than ${max} characters (${length})` };
  return null;
}

function integerProblem(field: FieldDef, value: number, columns: TableColumns): Problem | null {
  const range = INTEGER_RANGES[columns.get(field.storage)?.dataType ?? ''];
  if (!Number.isInteger(value)) return { message: `${field.graphqlName} must be a whole number` };
  if (range && (value < range[0] || value > range[1])) {
    return { message: `${field.graphqlName} must be between ${range[0]} and ${range[1]}` };
  }
  return null;
}
