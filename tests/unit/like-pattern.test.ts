import { termMatcher } from '../../src/search/like-pattern';

describe('termMatcher', () => {
  describe('wildcards', () => {
    test('prefix and suffix wildcards make a substring match', () =>
      expect(termMatcher('jdoe', '*', '*')).toEqual({ kind: 'like', pattern: '%jdoe%' }));

    test('user wildcards next to prefix/suffix wildcards collapse', () =>
      expect(termMatcher('*jdoe*', '*', '*')).toEqual({ kind: 'like', pattern: '%jdoe%' }));

    test('a wildcard inside the term becomes %', () =>
      expect(termMatcher('jo*n', '*', '*')).toEqual({ kind: 'like', pattern: '%jo%n%' }));

    test('a run of wildcards inside the term collapses', () =>
      expect(termMatcher('jo***n', '', '')).toEqual({ kind: 'like', pattern: 'jo%n' }));

    test('wildcards in a multi-character prefix/suffix are honoured', () =>
      expect(termMatcher('b', 'a*', '*c')).toEqual({ kind: 'like', pattern: 'a%b%c' }));

    test('a prefix without wildcard is literal text', () =>
      expect(termMatcher('doe', 'j', '*')).toEqual({ kind: 'like', pattern: 'jdoe%' }));

    test('only a user wildcard at the end', () =>
      expect(termMatcher('jdoe*', '', '')).toEqual({ kind: 'like', pattern: 'jdoe%' }));
  });

  describe('match everything', () => {
    test.each([
      ['*', '', ''],
      ['**', '', ''],
      ['*', '*', '*'],
      ['', '*', ''],
      ['', '*', '*'],
    ])('term %j with prefix %j and suffix %j matches all', (term, prefix, suffix) =>
      expect(termMatcher(term, prefix, suffix)).toEqual({ kind: 'all' }),
    );
  });

  describe('equality without wildcards', () => {
    test('no wildcard anywhere means equality', () =>
      expect(termMatcher('jdoe', '', '')).toEqual({ kind: 'equals', value: 'jdoe' }));

    test('the equality value is unescaped literal text', () =>
      expect(termMatcher('50%_off', '', '')).toEqual({ kind: 'equals', value: '50%_off' }));

    test('a backslash stays single in the equality value', () =>
      expect(termMatcher('a\\b', '', '')).toEqual({ kind: 'equals', value: 'a\\b' }));

    test('prefix and suffix are part of the equality value', () =>
      expect(termMatcher('b', 'a', 'c')).toEqual({ kind: 'equals', value: 'abc' }));
  });

  describe('escaping of LIKE metacharacters', () => {
    test('% is escaped', () => expect(termMatcher('50%*', '', '')).toEqual({ kind: 'like', pattern: '50\\%%' }));

    test('_ is escaped', () => expect(termMatcher('a_b', '*', '*')).toEqual({ kind: 'like', pattern: '%a\\_b%' }));

    test('\\ is escaped', () => expect(termMatcher('a\\b*', '', '')).toEqual({ kind: 'like', pattern: 'a\\\\b%' }));

    test('an escaped % next to a wildcard is not collapsed', () =>
      expect(termMatcher('%', '*', '*')).toEqual({ kind: 'like', pattern: '%\\%%' }));

    test('consecutive metacharacters are each escaped', () =>
      expect(termMatcher('%%__\\\\', '', '*')).toEqual({ kind: 'like', pattern: '\\%\\%\\_\\_\\\\\\\\%' }));

    test('metacharacters in prefix and suffix are escaped too', () =>
      expect(termMatcher('x', '_*', '*%')).toEqual({ kind: 'like', pattern: '\\_%x%\\%' }));
  });
});
