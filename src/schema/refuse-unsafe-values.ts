import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badInput, type DomainError } from '../errors';

/**
 * Values no resolver should ever see, refused once at the edge for every argument, input field and
 * variable of every operation (before any resolver or SQL runs):
 * - NUL (U+0000) and lone UTF-16 surrogates: PostgreSQL text cannot hold them, so they would fail
 *   deep inside a statement (the audit insert answered 22P02);
 * - lists longer than limits.maxListEntries: each entry becomes a bound parameter, and PostgreSQL
 *   takes at most 65,535 per statement. The refusal names the list, never its content.
 */
export function refuseUnsafeValues(limits: { readonly maxListEntries: number }): Plugin {
  // Yoga's parser cache hands out one document object per query text, and its literals never
  // change: a document found clean once is not walked again.
  const cleanDocuments = new WeakSet<DocumentNode>();
  const literalsProblem = (document: DocumentNode) => {
    if (cleanDocuments.has(document)) return null;
    const problem = documentProblem(document, limits.maxListEntries);
    if (!problem) cleanDocuments.add(document);
    return problem;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = variablesProblem(args.variableValues, limits.maxListEntries) ?? literalsProblem(args.document);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The problem with one text value, if any (pure; shared by the variable and the literal walk). */
export function unsafeTextProblem(text: string, field: string | undefined): DomainError | null {
  if (text.includes('\u0000')) {
    return badInput('Text must not contain the NUL character (\\u0000)', { field, reason: 'NUL_CHARACTER' });
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    return badInput(`Text must be valid Unicode: it contains a lone surrogate (U+${code})`, { field, reason: 'LONE_SURROGATE' });
  }
  return null;
}

export function listTooLong(length: number, max: number, field: string | undefined): DomainError | null {
  if (length <= max) return null;
  const name = field ?? 'a list argument';
  return badInput(`${name} has ${length} entries; at most ${max} are allowed (limits.maxListEntries)`, {
    field,
    reason: 'LIST_TOO_LONG',
  });
}

/** Walks JSON variables; `path` is the input field path (`filter.customerIds`), list indices left out. */
function variablesProblem(value: unknown, maxList: number, path?: string): DomainError | null {
  if (typeof value === 'string') return unsafeTextProblem(value, path);
  if (Array.isArray(value)) {
    const tooLong = listTooLong(value.length, maxList, path);
    if (tooLong) return tooLong;
    for (const item of value) {
      const problem = variablesProblem(item, maxList, path);
      if (problem) return problem;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = variablesProblem(item, maxList, path === undefined ? key : `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return null;
}

/** Literals in the query text: arguments of fields and directives, and variable defaults. */
function documentProblem(document: DocumentNode, maxList: number): DomainError | null {
  let found: DomainError | null = null;
  visit(document, {
    Argument(node) {
      found ??= literalProblem(node.value, maxList, node.name.value);
      return false;
    },
    VariableDefinition(node) {
      if (node.defaultValue) found ??= literalProblem(node.defaultValue, maxList, node.variable.name.value);
      return false;
    },
  });
  return found;
}

function literalProblem(node: ValueNode, maxList: number, path: string): DomainError | null {
  switch (node.kind) {
    case Kind.STRING:
      return unsafeTextProblem(node.value, path);
    case Kind.LIST:
      return listTooLong(node.values.length, maxList, path) ?? firstOf(node.values, (item) => literalProblem(item, maxList, path));
    case Kind.OBJECT:
      return firstOf(node.fields, (field) => literalProblem(field.value, maxList, `${path}.${field.name.value}`));
    default:
      return null;
  }
}

function firstOf<T>(items: readonly T[], check: (item: T) => DomainError | null): DomainError | null {
  for (const item of items) {
    const problem = check(item);
    if (problem) return problem;
  }
  return null;
}
