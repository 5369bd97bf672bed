/**
 * OTOBO's free-text search grammar (customer search box), parsed into disjunctive normal form.
 * Only the structure is decided here; turning terms into SQL patterns is done in `like-pattern.ts`.
 */

export interface SearchTerm {
  readonly text: string;
  readonly negated: boolean;
}

/** Disjunctive normal form: OR over groups, each group an AND of terms (AND binds tighter than OR). */
export type SearchExpression = readonly (readonly SearchTerm[])[];

type Operator = 'AND' | 'OR';

/** A character of a term; `quoted` characters can never act as operators, `!` or trimmable space. */
interface TermChar {
  readonly char: string;
  readonly quoted: boolean;
}

type Token = { readonly operator: Operator } | TermChar;

const WORD_OPERATORS: readonly Operator[] = ['AND', 'OR'];
const SPACE = /\s/;

export function parseSearch(input: string): SearchExpression {
  const groups: SearchTerm[][] = [];
  let group: SearchTerm[] = [];
  let chars: TermChar[] = [];

  const endTerm = (): void => {
    const term = buildTerm(chars);
    if (term) group.push(term);
    chars = [];
  };
  const endGroup = (): void => {
    if (group.length > 0) groups.push(group);
    group = [];
  };

  for (const token of tokenize(input.trim())) {
    if (!('operator' in token)) {
      chars.push(token);
      continue;
    }
    endTerm();
    if (token.operator === 'OR') endGroup();
  }
  endTerm();
  endGroup();
  return groups;
}

/** Splits the input into operators and term characters, resolving double-quoted sections. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input.charAt(i);
    const closingQuote = char === '"' ? input.indexOf('"', i + 1) : -1;
    const word = WORD_OPERATORS.find((op) => isWordOperatorAt(input, i, op));

    if (closingQuote !== -1) {
      for (const quotedChar of input.slice(i + 1, closingQuote)) tokens.push({ char: quotedChar, quoted: true });
      i = closingQuote + 1;
    } else if (char === '+') {
      tokens.push({ operator: 'AND' });
      i += 1;
    } else if (word) {
      tokens.push({ operator: word });
      i += word.length;
    } else {
      // Includes a `"` without a closing partner, which stays literal.
      tokens.push({ char, quoted: false });
      i += 1;
    }
  }
  return tokens;
}

/**
 * ` AND ` / ` OR ` need whitespace on both sides. The start and end of the (trimmed) input count as
 * whitespace, so `a OR` and `AND b` are dangling operators — OTOBO gets the same effect by wrapping
 * the whole input in parentheses, which also delimit word operators.
 */
function isWordOperatorAt(input: string, index: number, operator: Operator): boolean {
  const end = index + operator.length;
  return input.startsWith(operator, index) && isBoundary(input, index - 1) && isBoundary(input, end);
}

function isBoundary(input: string, index: number): boolean {
  return index < 0 || index >= input.length || SPACE.test(input.charAt(index));
}

function isUnquotedSpace(c: TermChar): boolean {
  return !c.quoted && SPACE.test(c.char);
}

/** Trims unquoted whitespace, strips a leading unquoted `!` as negation; empty terms yield `undefined`. */
function buildTerm(chars: readonly TermChar[]): SearchTerm | undefined {
  let body = trimUnquoted(chars);
  const first = body[0];
  const negated = first !== undefined && !first.quoted && first.char === '!';
  if (negated) body = trimUnquoted(body.slice(1));

  const text = body.map((c) => c.char).join('');
  return text === '' ? undefined : { text, negated };
}

function trimUnquoted(chars: readonly TermChar[]): readonly TermChar[] {
  let start = 0;
  let end = chars.length;
  while (start < end && isUnquotedSpace(chars[start]!)) start += 1;
  while (end > start && isUnquotedSpace(chars[end - 1]!)) end -= 1;
  return chars.slice(start, end);
}
