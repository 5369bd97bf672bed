import { sql, type SQL } from 'drizzle-orm';
import type { SearchExpression, SearchTerm } from '../../search/grammar';
import { escapeLike, termMatcher, type TermMatcher } from '../../search/like-pattern';

/**
 * SQL building blocks shared by every DB-backed record store. Text comparisons that must be
 * case-insensitive use `lower(col) COLLATE "C"` — the exact expression of our case-insensitive
 * indexes — or ILIKE, which the pg_trgm indexes serve. "C" makes ordering identical on every server.
 */

export const column = (name: string): SQL => sql`${sql.identifier(name)}`;

export const ciKey = (name: string): SQL => sql`lower(${column(name)}) COLLATE "C"`;

export function ciEquals(name: string, value: string): SQL {
  return sql`${ciKey(name)} = lower(${value})`;
}

/** `IN` over an empty list is a syntax error in SQL; it matches nothing. */
export function ciIn(name: string, values: readonly string[]): SQL {
  if (values.length === 0) return sql`FALSE`;
  return sql`${ciKey(name)} IN (${sql.join(values.map((v) => sql`lower(${v})`), sql`, `)})`;
}

export function valueIn(name: string, values: readonly (string | number)[]): SQL {
  if (values.length === 0) return sql`FALSE`;
  return sql`${column(name)} IN (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

export function anyOf(conditions: readonly SQL[]): SQL {
  if (conditions.length === 0) return sql`FALSE`;
  return sql`(${sql.join([...conditions], sql` OR `)})`;
}

export function allOf(conditions: readonly SQL[]): SQL {
  if (conditions.length === 0) return sql`TRUE`;
  return sql`(${sql.join([...conditions], sql` AND `)})`;
}

export interface TextSearchColumns {
  readonly columns: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
  readonly caseSensitive: boolean;
}

/** One column against one matcher; `coalesce` lets negated terms treat NULL as the empty string. */
function matches(name: string, matcher: TermMatcher, caseSensitive: boolean, nullAsEmpty: boolean): SQL {
  const target = nullAsEmpty ? sql`coalesce(${column(name)}, '')` : column(name);
  if (matcher.kind === 'all') return sql`TRUE`;
  if (matcher.kind === 'equals') {
    return caseSensitive ? sql`${target} = ${matcher.value}` : sql`${target} ILIKE ${escapeLike(matcher.value)}`;
  }
  return caseSensitive ? sql`${target} LIKE ${matcher.pattern}` : sql`${target} ILIKE ${matcher.pattern}`;
}

function termCondition(term: SearchTerm, settings: TextSearchColumns): SQL {
  const matcher = termMatcher(term.text, settings.prefix, settings.suffix);
  const perColumn = settings.columns.map((name) => matches(name, matcher, settings.caseSensitive, term.negated));
  // A positive term matches when any column does; a negated one when none does (OTOBO §5.2).
  return term.negated ? sql`NOT ${anyOf(perColumn)}` : anyOf(perColumn);
}

/** OTOBO's free-text search: OR over groups of AND-ed terms, each term over all search columns. */
export function freeTextCondition(expression: SearchExpression, settings: TextSearchColumns): SQL | null {
  if (expression.length === 0) return null;
  return anyOf(expression.map((group) => allOf(group.map((term) => termCondition(term, settings)))));
}

/**
 * OTOBO's structured ("detail") search on one text column: exact and case-insensitive unless the
 * value contains `*`. Null means the value was only wildcards, i.e. no restriction.
 */
export function patternCondition(name: string, value: string): SQL | null {
  const matcher = termMatcher(value, '', '');
  if (matcher.kind === 'all') return null;
  if (matcher.kind === 'equals') return ciEquals(name, matcher.value);
  return sql`${column(name)} ILIKE ${matcher.pattern}`;
}
