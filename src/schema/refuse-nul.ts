import { visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badInput } from '../errors';

/**
 * PostgreSQL text cannot hold NUL (U+0000): such a value would fail deep inside a query. Refusing
 * it once, at the edge, covers every argument, input field and variable of every operation.
 */
export function refuseNulCharacters(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (holdsNul(args.variableValues) || documentHoldsNul(args.document)) {
        setResultAndStopExecution({
          errors: [badInput('Text must not contain the NUL character (\\u0000)', { reason: 'NUL_CHARACTER' })],
        });
      }
    },
  };
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsNul);
  return false;
}

function documentHoldsNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}
