import { hiddenCharacter, normaliseIdentifier } from '../../src/records/identifier';

describe('hiddenCharacter', () => {
  test.each([
    ...['\u0000', '\u0009', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f'],
    ...['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'],
    ...['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u2028', '\u2029'],
  ])('finds %j and names it', (char) => {
    const expected = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    expect(hiddenCharacter(`ab${char}cd`)).toBe(expected);
  });

  test.each(['jdoe', 'josé', 'Müller', 'o’brien', 'user name', '李小龙', 'جميل', 'a\u00a0b', '😀'])('leaves %j alone', (value) => {
    expect(hiddenCharacter(value)).toBeNull();
  });

  test('names the first one', () => {
    expect(hiddenCharacter('a\u200bb\u202ec')).toBe('U+200B');
  });
});

describe('normaliseIdentifier', () => {
  test('composes: decomposed and precomposed spellings become one', () => {
    expect(normaliseIdentifier('jose\u0301')).toBe('jos\u00e9');
    expect(normaliseIdentifier('jos\u00e9')).toBe('jos\u00e9');
    expect(normaliseIdentifier('A\u030angstro\u0308m')).toBe('\u00c5ngstr\u00f6m');
  });

  test('keeps compatibility characters (NFC, not NFKC)', () => {
    expect(normaliseIdentifier('ﬁle')).toBe('ﬁle');
  });
});
