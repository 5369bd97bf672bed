import { getNamedType, GraphQLError, isIntrospectionType, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * `server.introspection: false`: a query that reads the schema (`__schema`, `__type`) fails
 * validation with FEATURE_DISABLED / INTROSPECTION_DISABLED, so nothing runs. `__typename` stays,
 * as clients use it for data. graphql-js's NoSchemaIntrospectionCustomRule does the same without a code.
 */
export function refuseIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noIntrospection);
    },
  };
}

const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    const type = context.getType();
    const parent = context.getParentType();
    // Once per introspection root (`__schema`), not again for each field below it.
    if (!type || !isIntrospectionType(getNamedType(type)) || (parent && isIntrospectionType(parent))) return;
    context.reportError(
      new GraphQLError(`Introspection is disabled on this server (server.introspection), so "${node.name.value}" cannot be queried`, {
        nodes: node,
        extensions: { code: 'FEATURE_DISABLED', reason: 'INTROSPECTION_DISABLED' },
      }),
    );
  },
});
