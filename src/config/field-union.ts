import type { FieldDef } from '../field-map/field-def';
import type { ConfigIssue } from './issues';

interface BackendFields {
  readonly id: string;
  readonly fields: readonly FieldDef[];
}

/**
 * The GraphQL CustomerUser type carries the fields of every backend's Map: the same attribute is
 * the same field, so it must have the same GraphQL name and type everywhere (and a GraphQL name
 * must not stand for two attributes). The first backend's row describes the field; it is required
 * on create only where every backend has and requires it (each backend checks its own rows).
 */
export function unionOfFields(backends: readonly BackendFields[]): { fields: FieldDef[]; issues: ConfigIssue[] } {
  const fields: FieldDef[] = [];
  const origin = new Map<string, { id: string; index: number }>();
  const issues: ConfigIssue[] = [];
  for (const backend of backends) {
    backend.fields.forEach((field, index) => {
      const byAttribute = fields.findIndex((f) => f.attribute === field.attribute);
      const byName = fields.findIndex((f) => f.graphqlName === field.graphqlName);
      const other = byAttribute >= 0 ? fields[byAttribute]! : byName >= 0 ? fields[byName]! : null;
      if (!other) {
        fields.push(field);
        origin.set(field.attribute, { id: backend.id, index });
        return;
      }
      const there = origin.get(other.attribute)!;
      const thereName = `${there.id}.Map[${there.index}]`;
      if (other.attribute !== field.attribute) {
        issues.push({ path: [backend.id, 'Map', index, 0], message: `${field.attribute} has the GraphQL name "${field.graphqlName}", which ${thereName} gives ${other.attribute}` });
      } else if (other.graphqlName !== field.graphqlName) {
        issues.push({ path: [backend.id, 'Map', index], message: `${field.attribute} has the GraphQL name "${field.graphqlName}" here but "${other.graphqlName}" in ${thereName}` });
      } else if (other.type !== field.type) {
        issues.push({ path: [backend.id, 'Map', index, 5], message: `${field.attribute} has type "${field.type}" here but "${other.type}" in ${thereName}` });
      }
    });
  }
  const requiredEverywhere = (field: FieldDef) =>
    backends.every((b) => b.fields.some((f) => f.attribute === field.attribute && f.required));
  return { fields: fields.map((f) => (f.required && !requiredEverywhere(f) ? { ...f, required: false } : f)), issues };
}
