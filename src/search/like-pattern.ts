/**
 * Turns a search term into a SQL LIKE pattern (for `LIKE`/`ILIKE … ESCAPE '\'`).
 * `*` is the only wildcard. Unlike OTOBO, `%` and `_` typed by a user are matched literally.
 */

import { wildcardLiterals } from './wildcards';

export type TermMatcher =
  | { readonly kind: 'all' } // matches everything (e.g. the term `*`)
  | { readonly kind: 'like'; readonly pattern: string } // use with LIKE/ILIKE ... ESCAPE '\'
  | { readonly kind: 'equals'; readonly value: string }; // no wildcard at all: plain equality

export function termMatcher(term: string, prefix: string, suffix: string): TermMatcher {
  const text = prefix + term + suffix;
  const literals = wildcardLiterals(text);
  if (literals.length === 1) return { kind: 'equals', value: text };

  const pattern = literals.map(escapeLike).join('%');
  return pattern === '%' ? { kind: 'all' } : { kind: 'like', pattern };
}

/** Escapes LIKE metacharacters and the escape character itself (`\`). */
export function escapeLike(literal: string): string {
  return literal.replace(/[\\%_]/g, '\\$&');
}
