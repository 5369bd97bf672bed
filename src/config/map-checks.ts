import { buildFieldDefs, CUSTOMER_USER_FIELD_RULES, type FieldDef } from '../field-map/field-def';
import { applySelections, type Selections } from '../field-map/selections';
import type { ConfigIssue } from './issues';

/** The checks every backend's settings share: its Map, and settings that must name Map rows. */

/** A customer-user backend's Map rows with its Selections attached as options. */
export function selectedUserFields(id: string, rawMap: unknown[], selections: Selections, issues: ConfigIssue[]): FieldDef[] {
  const selected = applySelections(mapFields(id, rawMap, CUSTOMER_USER_FIELD_RULES, issues), selections);
  issues.push(...selected.issues.map((i) => ({ path: [id, 'Selections', ...i.path], message: i.message })));
  return selected.fields;
}

export function mapFields(
  id: string,
  rawMap: unknown[],
  rules: typeof CUSTOMER_USER_FIELD_RULES,
  issues: ConfigIssue[],
): FieldDef[] {
  const built = buildFieldDefs(rawMap, rules);
  issues.push(...built.issues.map((i) => ({ path: [id, 'Map', ...i.path], message: i.message })));
  return built.fields;
}

/**
 * Key settings name the column of a Map row (the Map is what is read and written). A missing
 * row of a required attribute is reported by the Map check already.
 */
export function expectStorage(
  issues: ConfigIssue[],
  path: PropertyKey[],
  configured: string,
  mapped: string | undefined,
  attribute: string,
  rowRequired = true,
): void {
  if (mapped === undefined) {
    if (rowRequired) return;
    issues.push({ path, message: `names column "${configured}", but the Map has no ${attribute} row` });
  } else if (mapped !== configured) {
    issues.push({ path, message: `must be "${mapped}", the storage column of the ${attribute} Map row` });
  }
}

/** Column lists must name Map columns; those matched as text (LIKE, lower()) must be `var` rows. */
export function expectColumns(
  issues: ConfigIssue[],
  path: PropertyKey[],
  columns: readonly string[],
  fields: readonly FieldDef[],
  kind: 'any' | 'text',
): void {
  const candidates = kind === 'text' ? fields.filter((f) => f.type === 'var') : fields;
  const what = kind === 'text' ? '(non-password) text ("var") Map row' : '(non-password) Map row';
  columns.forEach((column, index) => {
    if (!candidates.some((f) => f.storage === column)) {
      issues.push({ path: [...path, index], message: `"${column}" is not the storage column of any ${what}` });
    }
  });
}

export function expectLimit(issues: ConfigIssue[], path: PropertyKey[], limit: number, max: number): void {
  if (limit > max) issues.push({ path, message: `must not exceed limits.maxSearchLimit (${max})` });
}
