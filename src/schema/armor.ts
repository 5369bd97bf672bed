import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

type ArmorReason = 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_TOKENS' | 'TOO_MANY_DIRECTIVES';

/**
 * graphql-armor's depth, alias, token and directive limits, with a stable code on each refusal
 * (armor's own errors carry none, and call themselves "Syntax Error"). Its cost limit is off:
 * it ignores page sizes, so query-cost.ts estimates instead.
 */
export function armorLimits(limits: { readonly maxDepth: number; readonly maxAliases: number; readonly maxTokens: number }): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, onReject: [coded('QUERY_TOO_DEEP')] },
    maxAliases: { n: limits.maxAliases, onReject: [coded('TOO_MANY_ALIASES')] },
    maxTokens: { n: limits.maxTokens, onReject: [coded('TOO_MANY_TOKENS')] },
    maxDirectives: { onReject: [coded('TOO_MANY_DIRECTIVES')] },
    costLimit: { enabled: false },
  }) as Plugin;
}

/** Armor hands its error to onReject before throwing it, so it can be amended in place. */
function coded(reason: ArmorReason) {
  return (_context: unknown, error: GraphQLError): void => {
    Object.assign(error.extensions, { code: 'BAD_USER_INPUT', reason });
    error.message = error.message.replace(/^Syntax Error: /, '');
  };
}
