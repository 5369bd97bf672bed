import type { Plugin } from 'graphql-yoga';
import type { DomainError } from '../errors';
import type { GraphQLContext } from './context';

/**
 * BACKEND_UNAVAILABLE errors of one request. A lookup or search that lost a backend still
 * resolves with the others' data; the outage is collected here (once per backend) and added to
 * the response's `errors` by reportBackendErrors — so the data keeps its shape (no nulled field)
 * and the outage never vanishes silently.
 */
export class BackendErrors {
  private readonly byBackend = new Map<string, DomainError>();

  readonly report = (error: DomainError): void => {
    const backend = String(error.extensions.backend);
    if (!this.byBackend.has(backend)) this.byBackend.set(backend, error);
  };

  get errors(): DomainError[] {
    return [...this.byBackend.values()];
  }
}

/** Appends the request's collected backend errors (without a path: they concern the whole answer). */
export function reportBackendErrors(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const collected = (args.contextValue as Partial<GraphQLContext>).backendErrors?.errors ?? [];
          if (collected.length === 0 || !('data' in result)) return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...collected] });
        },
      };
    },
  };
}
