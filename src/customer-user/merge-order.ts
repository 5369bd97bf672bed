import type { FieldDef } from '../field-map/field-def';
import type { FieldValue, OrderTerm, StoredRecord } from '../records/types';

/** "C" collation: code points in order (JavaScript's < compares UTF-16 units, which differs above U+FFFF). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function compareValues(a: FieldValue | undefined, b: FieldValue | undefined, type: FieldDef['type'], descending: boolean): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1; // empty values last in either direction
  const d = type === 'int' ? Number(a) - Number(b) : compareCodePoints(String(a).toLowerCase(), String(b).toLowerCase());
  return descending ? -d : d;
}

/**
 * The order a DB backend's search returns (record-store.ts orderBy): the terms case-insensitively
 * with empty values last, then lower(login), then the login itself, both in "C" order. Records of
 * several backends merged with it come out as one backend would have sorted them. (Lower-casing is
 * JavaScript's; PostgreSQL's agrees for everything but a few exotic characters.)
 */
export function recordOrder(orderBy: readonly OrderTerm[], fields: readonly FieldDef[]): (a: StoredRecord, b: StoredRecord) => number {
  const terms = orderBy.map((term) => ({ ...term, type: fields.find((f) => f.attribute === term.attribute)?.type ?? 'var' }));
  return (a, b) => {
    for (const term of terms) {
      const d = compareValues(a.values[term.attribute], b.values[term.attribute], term.type, term.descending);
      if (d !== 0) return d;
    }
    const login = (r: StoredRecord) => String(r.values.UserLogin);
    return compareCodePoints(login(a).toLowerCase(), login(b).toLowerCase()) || compareCodePoints(login(a), login(b));
  };
}
