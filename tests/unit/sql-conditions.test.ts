import { freeTextCondition, trigramSelective } from '../../src/backends/db/sql-conditions';
import { parseSearch } from '../../src/search/grammar';

const settings = { columns: ['login', 'first_name'], prefix: '*', suffix: '*', caseSensitive: false };

describe('freeTextCondition', () => {
  it.each(['*', '**', 'doe OR *', ''])('restricts nothing for %p', (input) => {
    expect(freeTextCondition(parseSearch(input), settings)).toBeNull();
  });

  it.each(['doe', '*+doe', 'doe OR smith', '!doe', '!*'])('restricts for %p', (input) => {
    expect(freeTextCondition(parseSearch(input), settings)).not.toBeNull();
  });
});

describe('trigramSelective', () => {
  it.each([
    ['doe', true],
    ['jo*hn', false], // literal runs "jo" and "hn" are too short for trigrams
    ['john+!doe', true],
    ['john OR smith', true],
    ['john OR ab', false], // one OR branch would need a scan
    ['ab', false],
    ['!doe', false],
    ['*', false],
    ['50%', true], // "50%" is three literal characters
  ])('%p → %p', (input, expected) => {
    expect(trigramSelective(parseSearch(input), settings)).toBe(expected);
  });

  it('counts the literal characters an empty prefix/suffix leaves intact', () => {
    expect(trigramSelective(parseSearch('abc'), { ...settings, prefix: '', suffix: '' })).toBe(true);
  });
});
