import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import type { Plugin } from 'graphql-yoga';
import { badInput, type DomainError } from '../errors';

/** What an operation asks for, at most: every field counted once per object it is resolved on. */
export interface QueryEstimate {
  /** Field resolutions: a field under a list counts once per item of the list. */
  readonly cost: number;
  /** Records fetched: the `limit` (or its default) of every paged field, times its own multiplicity. */
  readonly rows: number;
}

const NOTHING: QueryEstimate = { cost: 0, rows: 0 };

/**
 * Estimates an operation from the requested page sizes, before anything runs. A field with a
 * `limit` argument fetches that many records (the argument's declared default when absent); the
 * next list below it (`nodes`, or the field itself when it is a list) has that many items, and
 * everything selected inside is multiplied by it, down the tree: `customers(limit: 10)
 * { nodes { users(limit: 100) { nodes { login } } } }` fetches 10 + 10 × 100 rows. Lists without a
 * `limit` (a Map's fields, a history entry's changes) are small and counted as one item.
 * Fragments are estimated once each, so the walk stays linear in the document's size.
 */
export function estimateOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): QueryEstimate {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentEstimates = new Map<string, QueryEstimate>();
  const root = schema.getRootType(operation.operation);
  if (!root) return NOTHING;

  const selectionSet = (set: SelectionSetNode, type: GraphQLCompositeType, pageSize: number | null): QueryEstimate => {
    let total = NOTHING;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total = add(total, field(selection, type, pageSize));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (inner && isCompositeType(inner)) total = add(total, selectionSet(selection.selectionSet, inner, pageSize));
      } else {
        total = add(total, fragment(selection.name.value, pageSize));
      }
    }
    return total;
  };

  const fragment = (name: string, pageSize: number | null): QueryEstimate => {
    const key = `${name}/${pageSize}`;
    const known = fragmentEstimates.get(key);
    if (known) return known;
    const definition = fragments.get(name);
    const type = definition && schema.getType(definition.typeCondition.name.value);
    const estimate = type && isCompositeType(type) ? selectionSet(definition.selectionSet, type, pageSize) : NOTHING;
    fragmentEstimates.set(key, estimate);
    return estimate;
  };

  const field = (node: FieldNode, parent: GraphQLCompositeType, pageSize: number | null): QueryEstimate => {
    if (node.name.value.startsWith('__') || !('getFields' in parent)) return NOTHING; // introspection, unions
    const definition = parent.getFields()[node.name.value];
    if (!definition) return NOTHING;
    const limit = limitOf(definition, node, variables);
    const isList = isListType(getNullableType(definition.type));
    const items = isList ? (limit ?? pageSize ?? 1) : 1;
    const childType = getNamedType(definition.type);
    const children =
      node.selectionSet && isCompositeType(childType) ? selectionSet(node.selectionSet, childType, isList ? null : limit) : NOTHING;
    return { cost: 1 + items * children.cost, rows: (limit ?? 0) + items * children.rows };
  };

  return selectionSet(operation.selectionSet, root, null);
}

function limitOf(definition: GraphQLField<unknown, unknown>, node: FieldNode, variables: Readonly<Record<string, unknown>>): number | null {
  const declared = definition.args.find((arg) => arg.name === 'limit');
  if (!declared) return null;
  const value = getArgumentValues(definition, node, variables).limit ?? declared.defaultValue;
  return typeof value === 'number' && value > 0 ? value : null;
}

function add(a: QueryEstimate, b: QueryEstimate): QueryEstimate {
  return { cost: a.cost + b.cost, rows: a.rows + b.rows };
}

/**
 * Refuses an operation whose estimate exceeds limits.maxRows or limits.maxCost before it runs
 * (graphql-armor's cost limit does not know list sizes: 30 aliases × limit 10000 passed it).
 */
export function queryCostLimit(limits: { readonly maxRows: number; readonly maxCost: number }): Plugin {
  // Yoga's parser cache hands out one document per query text; an operation whose page sizes are
  // all literals or defaults has one estimate whatever its variables, so it is estimated once.
  const fixedEstimates = new WeakMap<OperationDefinitionNode, QueryEstimate>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const document = args.document as DocumentNode;
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode =>
          d.kind === Kind.OPERATION_DEFINITION && (args.operationName == null || d.name?.value === args.operationName),
      );
      if (!operation) return;
      let estimate = fixedEstimates.get(operation);
      if (!estimate) {
        const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
        if (coerced.errors) return; // execution reports them, with their own code
        estimate = estimateOperation(args.schema, document, operation, coerced.coerced);
        if (!hasVariableLimit(document)) fixedEstimates.set(operation, estimate);
      }
      const refusal = costRefusal(estimate, limits);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}

/** Whether any `limit` argument of the document takes a variable (then each request is estimated). */
function hasVariableLimit(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Argument(node) {
      if (node.name.value === 'limit' && node.value.kind === Kind.VARIABLE) found = true;
      return false;
    },
  });
  return found;
}

export function costRefusal(estimate: QueryEstimate, limits: { readonly maxRows: number; readonly maxCost: number }): DomainError | null {
  if (estimate.rows > limits.maxRows) {
    const message = `This request may fetch ${estimate.rows} records, more than limits.maxRows (${limits.maxRows}); ask for smaller pages (limit) or fewer lists`;
    return refusal(message, 'TOO_MANY_ROWS', estimate.rows, limits.maxRows);
  }
  if (estimate.cost > limits.maxCost) {
    const message = `This request has an estimated cost of ${estimate.cost} field resolutions, more than limits.maxCost (${limits.maxCost}); ask for smaller pages or fewer fields`;
    return refusal(message, 'QUERY_TOO_EXPENSIVE', estimate.cost, limits.maxCost);
  }
  return null;
}

function refusal(message: string, reason: string, estimate: number, limit: number): DomainError {
  const error = badInput(message, { reason });
  Object.assign(error.extensions, { estimate, limit });
  return error;
}
