import { parseSearch, type SearchExpression, type SearchTerm } from '../../src/search/grammar';

const pos = (text: string): SearchTerm => ({ text, negated: false });
const neg = (text: string): SearchTerm => ({ text, negated: true });

function expectParse(input: string, expected: SearchExpression): void {
  expect(parseSearch(input)).toEqual(expected);
}

describe('parseSearch', () => {
  describe('empty input', () => {
    test.each(['', '   ', '\t\n '])('%j yields no groups', (input) => expectParse(input, []));

    test.each(['+', '++', ' + ', 'AND', 'OR', 'AND OR', ' OR AND + ', '!', ' ! ', '!+!', '""', '"" OR !""'])(
      'only operators and empty terms %j yields no groups',
      (input) => expectParse(input, []),
    );
  });

  describe('single terms and whitespace', () => {
    test('a plain word is one positive term', () => expectParse('jdoe', [[pos('jdoe')]]));

    test('surrounding whitespace of the input is trimmed', () => expectParse('  jdoe \t', [[pos('jdoe')]]));

    test('whitespace does not split terms', () => expectParse('John Doe', [[pos('John Doe')]]));

    test('inner whitespace is kept as typed', () => expectParse('John   Doe', [[pos('John   Doe')]]));

    test('each term is trimmed around operators', () => expectParse('John + Doe', [[pos('John'), pos('Doe')]]));
  });

  describe('AND', () => {
    test('+ means AND', () => expectParse('john+doe', [[pos('john'), pos('doe')]]));

    test('upper-case AND between whitespace means AND', () =>
      expectParse('john AND doe', [[pos('john'), pos('doe')]]));

    test('AND accepts any whitespace on both sides', () => expectParse('a\tAND\nb', [[pos('a'), pos('b')]]));

    test('+ and AND can be mixed', () => expectParse('a+b AND c', [[pos('a'), pos('b'), pos('c')]]));

    test('repeated + produces no empty terms', () => expectParse('a++b', [[pos('a'), pos('b')]]));

    test('repeated AND produces no empty terms', () => expectParse('a AND AND b', [[pos('a'), pos('b')]]));

    test('trailing + is dropped', () => expectParse('John+', [[pos('John')]]));

    test('leading + is dropped', () => expectParse('+a', [[pos('a')]]));

    test('leading AND is dropped', () => expectParse('AND b', [[pos('b')]]));

    test('trailing AND is dropped', () => expectParse('a AND', [[pos('a')]]));
  });

  describe('OR', () => {
    test('upper-case OR separates groups', () => expectParse('john OR doe', [[pos('john')], [pos('doe')]]));

    test('trailing OR is dropped', () => expectParse('a OR', [[pos('a')]]));

    test('leading OR is dropped', () => expectParse('OR a', [[pos('a')]]));

    test('empty groups between ORs are dropped', () => expectParse('a OR OR b', [[pos('a')], [pos('b')]]));

    test('a group made only of empty terms is dropped', () => expectParse('a OR + OR b', [[pos('a')], [pos('b')]]));
  });

  describe('operator words are case-sensitive and need whitespace', () => {
    test('lower-case and is ordinary text', () => expectParse('john and doe', [[pos('john and doe')]]));

    test('lower-case or is ordinary text', () => expectParse('john or doe', [[pos('john or doe')]]));

    test('mixed-case And/Or are ordinary text', () => expectParse('a And b Or c', [[pos('a And b Or c')]]));

    test('AND inside a word is text', () => expectParse('ANDROID', [[pos('ANDROID')]]));

    test('OR glued to a word is text', () => expectParse('a ORb', [[pos('a ORb')]]));

    test('AND glued to a word on the left is text', () => expectParse('aAND b', [[pos('aAND b')]]));

    test('ORDER in a phrase is text', () => expectParse('x ORDER y', [[pos('x ORDER y')]]));
  });

  describe('precedence', () => {
    test('AND binds tighter than OR (OR first)', () => expectParse('a OR b+c', [[pos('a')], [pos('b'), pos('c')]]));

    test('AND binds tighter than OR (AND first)', () =>
      expectParse('a AND b OR c', [[pos('a'), pos('b')], [pos('c')]]));

    test('several groups of several terms', () =>
      expectParse('a+b OR c AND d OR e', [[pos('a'), pos('b')], [pos('c'), pos('d')], [pos('e')]]));
  });

  describe('negation', () => {
    test('leading ! negates the term', () => expectParse('!doe', [[neg('doe')]]));

    test('negated term inside a group', () => expectParse('john+!doe', [[pos('john'), neg('doe')]]));

    test('the rest is re-trimmed after removing !', () => expectParse('john + ! doe', [[pos('john'), neg('doe')]]));

    test('! after leading whitespace still negates', () => expectParse('a+  !b', [[pos('a'), neg('b')]]));

    test('! in the middle of a term is literal', () => expectParse('do!e', [[pos('do!e')]]));

    test('! at the end of a term is literal', () => expectParse('doe!', [[pos('doe!')]]));

    test('only the first ! negates; a second one is literal', () => expectParse('!!doe', [[neg('!doe')]]));

    test('a lone ! is an empty term and dropped', () => expectParse('a+!', [[pos('a')]]));

    test('negation works in every OR group', () => expectParse('!a OR !b', [[neg('a')], [neg('b')]]));
  });

  describe('double quotes', () => {
    test('quotes protect + and are removed', () => expectParse('"a+b"', [[pos('a+b')]]));

    test('quotes protect AND', () => expectParse('"a AND b"', [[pos('a AND b')]]));

    test('quotes protect OR', () => expectParse('"a OR b"', [[pos('a OR b')]]));

    test('a quoted operator word alone is text', () => expectParse('"OR"', [[pos('OR')]]));

    test('quotes protect a leading !', () => expectParse('"!a"', [[pos('!a')]]));

    test('! before the opening quote still negates', () => expectParse('!"a+b"', [[neg('a+b')]]));

    test('! with whitespace before the opening quote still negates', () => expectParse('! "a+b"', [[neg('a+b')]]));

    test('a quoted section may be part of a term', () => expectParse('x"a+b"y', [[pos('xa+by')]]));

    test('quoted terms combine with operators', () =>
      expectParse('"a+b" OR c+"d OR e"', [[pos('a+b')], [pos('c'), pos('d OR e')]]));

    test('several quoted sections in one term', () => expectParse('"a+"b"+c"', [[pos('a+b+c')]]));

    test('whitespace inside quotes is kept', () => expectParse('" a "', [[pos(' a ')]]));

    test('unquoted whitespace around a quoted section is trimmed', () =>
      expectParse('x+ "a" +y', [[pos('x'), pos('a'), pos('y')]]));

    test('an empty quoted section is an empty term and dropped', () => expectParse('a+""', [[pos('a')]]));

    test('an unmatched quote is a literal character', () => expectParse('a"b', [[pos('a"b')]]));

    test('operators after an unmatched quote still apply', () => expectParse('"a+b', [[pos('"a'), pos('b')]]));

    test('a third, unmatched quote stays literal after a pair', () => expectParse('"a+b" "c', [[pos('a+b "c')]]));
  });

  describe('characters without meaning at this stage', () => {
    test.each(['(a)', 'a&b', 'a|b', 'a&&b', 'a||b', 'jo*n', '50%', 'a_b', 'a\\b'])('%j is one literal term', (input) =>
      expectParse(input, [[pos(input)]]),
    );
  });
});
