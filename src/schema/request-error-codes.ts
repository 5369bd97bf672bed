import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js refuses variables that do not coerce to their declared types before executing a
 * single field, without `data` and without a code (yoga sends HTTP 400). They are the caller's
 * input, so they get BAD_USER_INPUT. (Yoga codes the other request errors itself.)
 */
export function codeRequestErrors(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) || 'data' in result) return;
          for (const error of result.errors ?? []) codeRequestError(error);
        },
      };
    },
  };
}

export function codeRequestError(error: GraphQLError): void {
  if (error.extensions.code !== undefined) return;
  Object.assign(error.extensions, error.message.startsWith('Variable "$') ? { code: 'BAD_USER_INPUT', reason: 'INVALID_VARIABLE' } : { code: 'BAD_USER_INPUT' });
}
