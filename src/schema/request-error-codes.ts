import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Variables that do not coerce to their declared types are refused before a single field runs,
 * without `data` and without a code. They are the caller's input, so they get BAD_USER_INPUT and
 * HTTP 400. graphql-jit reports them as errors of its own class (not graphql-js's, and with
 * read-only, absent `extensions`), so each becomes a graphql-js error here, locations kept.
 * (Yoga codes the other request errors itself.)
 */
export function codeRequestErrors(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || 'data' in result) return;
          setResult({ ...result, errors: (result.errors ?? []).map(codedRequestError) });
        },
      };
    },
  };
}

function codedRequestError(error: GraphQLError): GraphQLError {
  if (error.extensions?.code !== undefined) return error;
  const reason = error.message.startsWith('Variable "$') ? { reason: 'INVALID_VARIABLE' } : {};
  const extensions = { ...error.extensions, code: 'BAD_USER_INPUT', ...reason, http: { status: 400 } };
  const coded = new GraphQLError(error.message, { extensions, originalError: error.originalError });
  if (error.locations) Object.defineProperty(coded, 'locations', { value: error.locations, enumerable: true });
  return coded;
}
