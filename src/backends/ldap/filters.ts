import { AndFilter, EqualityFilter, NotFilter, OrFilter, PresenceFilter, SubstringFilter, type Filter } from 'ldapts';
import type { SearchExpression, SearchTerm } from '../../search/grammar';
import { wildcardLiterals } from '../../search/wildcards';

/**
 * LDAP filters for what users type. Values go into ldapts filter objects raw: they are sent
 * BER-encoded, so `*`, `(`, `)`, `\` and NUL can never change a filter's structure (no string
 * filter is ever built from user input). A condition may also reduce to matching everything or
 * nothing, which LDAP has no portable filter for; callers skip the search or the restriction.
 */
export type Condition = Filter | 'everything' | 'nothing';

export const EVERY_ENTRY: Filter = new PresenceFilter({ attribute: 'objectClass' });

export function allOf(conditions: readonly Condition[]): Condition {
  if (conditions.includes('nothing')) return 'nothing';
  const filters = conditions.filter((c): c is Filter => typeof c !== 'string');
  if (filters.length === 0) return 'everything';
  return filters.length === 1 ? filters[0]! : new AndFilter({ filters });
}

export function anyOf(conditions: readonly Condition[]): Condition {
  if (conditions.includes('everything')) return 'everything';
  const filters = conditions.filter((c): c is Filter => typeof c !== 'string');
  if (filters.length === 0) return 'nothing';
  return filters.length === 1 ? filters[0]! : new OrFilter({ filters });
}

export function not(condition: Condition): Condition {
  if (condition === 'everything') return 'nothing';
  if (condition === 'nothing') return 'everything';
  return new NotFilter({ filter: condition });
}

/** `*` is the only wildcard (runs collapse); without one, equality; only wildcards match everything. */
export function wildcardCondition(attribute: string, pattern: string): Condition {
  const literals = wildcardLiterals(pattern);
  if (literals.length === 1) return new EqualityFilter({ attribute, value: pattern });
  if (literals.every((literal) => literal === '')) return 'everything';
  return new SubstringFilter({
    attribute,
    initial: literals[0]!,
    any: literals.slice(1, -1),
    final: literals[literals.length - 1]!,
  });
}

export function equalsAny(attribute: string, values: readonly string[]): Condition {
  return anyOf(values.map((value) => new EqualityFilter({ attribute, value })));
}

export interface TextSearchAttributes {
  readonly attributes: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
}

/**
 * OTOBO's free-text search (the parsed grammar: OR over groups of AND-ed terms): a positive term
 * matches when any search attribute matches prefix + term + suffix, a negated one when none does.
 * (OTOBO's own LDAP backend knows only `+`; the DB backend's fuller grammar is used for both.)
 */
export function freeTextCondition(expression: SearchExpression, settings: TextSearchAttributes): Condition {
  if (expression.length === 0) return 'everything';
  return anyOf(expression.map((group) => allOf(group.map((term) => termCondition(term, settings)))));
}

function termCondition(term: SearchTerm, settings: TextSearchAttributes): Condition {
  const pattern = settings.prefix + term.text + settings.suffix;
  const perAttribute = anyOf(settings.attributes.map((attribute) => wildcardCondition(attribute, pattern)));
  return term.negated ? not(perAttribute) : perAttribute;
}
