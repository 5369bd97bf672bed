import { parseSearch } from '../../src/search/grammar';
import { searchLimitProblem } from '../../src/search/search-limits';

const limits = { maxTerms: 4, maxAlternatives: 2, maxTermLength: 5 };
const problem = (input: string) => searchLimitProblem(parseSearch(input), limits)?.reason ?? null;

describe('searchLimitProblem', () => {
  test.each([
    ['a+b+c+d', null],
    ['a+b OR c+d', null],
    ['a+b+c+d+e', 'TOO_MANY_SEARCH_TERMS'],
    ['a+b+c OR d+e', 'TOO_MANY_SEARCH_TERMS'],
    ['a OR b OR c', 'TOO_MANY_SEARCH_ALTERNATIVES'],
    ['abcde', null],
    ['abcdef', 'SEARCH_TERM_TOO_LONG'],
    ['"a+b+c+d+e+f"', 'SEARCH_TERM_TOO_LONG'], // quoted: one term, of 11 characters
    ['"a+b"+c', null],
    ['+ + + a', null], // empty terms are dropped by the grammar and not counted
    ['😀😀😀😀😀', null], // characters, not UTF-16 units
  ])('%j → %s', (input, expected) => {
    expect(problem(input)).toBe(expected);
  });

  test('the message states the count and the limit', () => {
    expect(searchLimitProblem(parseSearch(Array(499).fill('a').join('+')), { ...limits, maxTerms: 10 })).toEqual({
      reason: 'TOO_MANY_SEARCH_TERMS',
      message: 'search has 499 terms; at most 10 are allowed',
    });
  });
});
