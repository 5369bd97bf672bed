import type { SearchExpression } from './grammar';

/**
 * Bounds on what one free-text search may ask of the database. Every term becomes an ILIKE over
 * every search column, and a term without a three-character literal cannot use the trigram
 * indexes, so the number of terms multiplies a scan's cost (499 AND-ed `a`s ran 160 s at 100k users).
 */
export interface SearchLimits {
  /** Terms in the whole expression, AND and OR together. */
  readonly maxTerms: number;
  /** OR alternatives (AND groups). */
  readonly maxAlternatives: number;
  /** Characters of one term. */
  readonly maxTermLength: number;
}

export interface SearchLimitProblem {
  readonly reason: 'TOO_MANY_SEARCH_TERMS' | 'TOO_MANY_SEARCH_ALTERNATIVES' | 'SEARCH_TERM_TOO_LONG';
  readonly message: string;
}

export function searchLimitProblem(expression: SearchExpression, limits: SearchLimits): SearchLimitProblem | null {
  if (expression.length > limits.maxAlternatives) {
    return {
      reason: 'TOO_MANY_SEARCH_ALTERNATIVES',
      message: `search has ${expression.length} OR alternatives; at most ${limits.maxAlternatives} are allowed`,
    };
  }
  const terms = expression.flat();
  if (terms.length > limits.maxTerms) {
    return { reason: 'TOO_MANY_SEARCH_TERMS', message: `search has ${terms.length} terms; at most ${limits.maxTerms} are allowed` };
  }
  const long = terms.find((term) => [...term.text].length > limits.maxTermLength);
  if (long) {
    return {
      reason: 'SEARCH_TERM_TOO_LONG',
      message: `a search term is ${[...long.text].length} characters long; at most ${limits.maxTermLength} are allowed`,
    };
  }
  return null;
}
