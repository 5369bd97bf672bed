import { z } from 'zod';
import type { ConfigIssue } from '../config/issues';
import type { FieldDef } from './field-def';

/** One allowed value of a selection field and the label a form shows for it. */
export interface SelectionOption {
  readonly value: string;
  readonly label: string;
}

/** OTOBO's `Selections`: per Map attribute, allowed value → label (e.g. UserTitle: { "Mr.": "Mr." }). */
export type Selections = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The config key's shape (any backend's `Selections`); checked against the Map by applySelections. */
export const selectionsSchema = z.record(z.string(), z.record(z.string(), z.string({ error: 'a selection label must be a string' }))).default({});

/**
 * Attaches each configured selection to its Map field as `options`. Issues have paths relative to
 * `Selections`. Only free-text rows can be selections: validity has its own enum, the password is
 * never compared, and an `int` row would need numeric keys that JSON object keys cannot be.
 */
export function applySelections(fields: readonly FieldDef[], selections: Selections): { fields: FieldDef[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  for (const [attribute, labels] of Object.entries(selections)) {
    const field = fields.find((f) => f.attribute === attribute);
    if (!field) issues.push({ path: [attribute], message: `${attribute} is not an attribute of the Map` });
    else if (field.role === 'password' || field.role === 'validity' || field.type !== 'var') {
      issues.push({ path: [attribute], message: `${attribute} cannot be a selection: only text ("var") rows other than the password and ValidID can` });
    } else if (Object.keys(labels).length === 0) {
      issues.push({ path: [attribute], message: 'a selection needs at least one value' });
    }
    for (const value of Object.keys(labels)) {
      if (value.trim() !== value || value === '') {
        issues.push({ path: [attribute, value], message: 'a selection value must not be empty or start or end with whitespace' });
      }
    }
  }
  const withOptions = fields.map((field) => {
    const labels = selections[field.attribute];
    if (!labels) return field;
    return { ...field, options: Object.entries(labels).map(([value, label]) => ({ value, label })) };
  });
  return { fields: withOptions, issues };
}
