import type { FieldDef } from '../field-map/field-def';
import type { FieldValue, OrderTerm, StoredRecord } from './types';

type Comparator = (a: StoredRecord, b: StoredRecord) => number;

/**
 * The order the DB backend gives in SQL, for records sorted in memory (a directory has no order):
 * text case-insensitively by character code (as `lower(…) COLLATE "C"`), numbers numerically, empty values
 * last in either direction, then the key case-insensitively and, last, exactly.
 */
export function recordComparator(orderBy: readonly OrderTerm[], fields: readonly FieldDef[], keyAttribute: string): Comparator {
  const terms = orderBy.map(({ attribute, descending }) => {
    const field = fields.find((f) => f.attribute === attribute);
    if (!field) throw new Error(`cannot order by ${attribute}`);
    return { attribute, descending, text: field.type === 'var' };
  });
  return (a, b) => {
    for (const { attribute, descending, text } of terms) {
      const x = a.values[attribute] ?? null;
      const y = b.values[attribute] ?? null;
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
        continue;
      }
      const order = compareValues(text ? lower(x) : x, text ? lower(y) : y);
      if (order !== 0) return descending ? -order : order;
    }
    const keyA = String(a.values[keyAttribute]);
    const keyB = String(b.values[keyAttribute]);
    return compareValues(keyA.toLowerCase(), keyB.toLowerCase()) || compareValues(keyA, keyB);
  };
}

const lower = (value: FieldValue): string => String(value).toLowerCase();

function compareValues(x: string | number, y: string | number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
