import { buildSchema as buildSdl, getVariableValues, parse, type OperationDefinitionNode } from 'graphql';
import { buildSchema } from '../../src/schema/build-schema';
import { costRefusal, estimateOperation } from '../../src/schema/query-cost';
import { testConfig } from '../support/test-app';

const sdl = buildSdl(`
  type Query {
    lists(limit: Int = 100): Page!
    items(limit: Int = 5): [Item!]!
    tags: [String!]!
    one: Item
  }
  type Page { total: Int! nodes: [Item!]! }
  type Item { id: ID! children(limit: Int = 10): Page! tags: [String!]! }
`);

function estimate(query: string, variables: Record<string, unknown> = {}, schema = sdl) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  // As the plugin does: variables coerced (defaults applied) first.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables).coerced!;
  return estimateOperation(schema, document, operation, coerced);
}

describe('estimateOperation', () => {
  test('scalars and single objects cost one each and fetch nothing', () => {
    expect(estimate('{ one { id } tags }')).toEqual({ cost: 3, rows: 0 });
  });

  test('a paged field fetches its limit; the list below it multiplies its selection', () => {
    // lists + total + nodes + 7 × id
    expect(estimate('{ lists(limit: 7) { total nodes { id } } }')).toEqual({ cost: 10, rows: 7 });
  });

  test('the declared default applies when limit is absent or null', () => {
    expect(estimate('{ lists { nodes { id } } }')).toEqual({ cost: 102, rows: 100 });
    expect(estimate('{ lists(limit: null) { nodes { id } } }')).toEqual({ cost: 102, rows: 100 });
  });

  test('a list field with its own limit', () => {
    expect(estimate('{ items(limit: 3) { id } }')).toEqual({ cost: 4, rows: 3 });
  });

  test('nested page sizes multiply down the tree', () => {
    // 2 lists, each item's children page of 4 rows: rows 2 + 2 × 4
    const query = '{ items(limit: 2) { children(limit: 4) { nodes { id } } } }';
    expect(estimate(query)).toEqual({ cost: 1 + 2 * (1 + 1 + 4), rows: 2 + 2 * 4 });
  });

  test('aliases add up', () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: lists(limit: 10000) { nodes { id } }`).join(' ');
    expect(estimate(`{ ${aliases} }`).rows).toBe(300_000);
  });

  test('variables are used, with their defaults', () => {
    expect(estimate('query ($n: Int) { lists(limit: $n) { total } }', { n: 42 }).rows).toBe(42);
    expect(estimate('query ($n: Int = 9) { lists(limit: $n) { total } }').rows).toBe(9);
  });

  test('fragments and inline fragments count like inline selections; a reused fragment counts each time', () => {
    const query = `
      { a: lists(limit: 3) { ...Page } b: lists(limit: 5) { ... on Page { nodes { ...Item } } } }
      fragment Page on Page { nodes { ...Item } }
      fragment Item on Item { id tags }`;
    expect(estimate(query)).toEqual({ cost: 2 + 3 * 2 + 2 + 5 * 2, rows: 8 });
  });

  test('unsized lists count as one item; introspection is free', () => {
    expect(estimate('{ one { tags } __typename __schema { types { name } } }')).toEqual({ cost: 2, rows: 0 });
  });

  test('the real schema: default page sizes come from the Map config', () => {
    const schema = buildSchema(testConfig());
    expect(estimate('{ customers { nodes { users { nodes { login } } } } }', {}, schema).rows).toBe(250 + 250 * 1000);
    expect(estimate('{ customerUser(login: "x") { history { action } } }', {}, schema)).toEqual({ cost: 1 + 1 + 50, rows: 50 });
  });
});

describe('costRefusal', () => {
  const limits = { maxRows: 100, maxCost: 1000 };
  test('rows first, then cost; both state the estimate and the limit', () => {
    expect(costRefusal({ rows: 100, cost: 1000 }, limits)).toBeNull();
    expect(costRefusal({ rows: 101, cost: 5000 }, limits)?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_ROWS', estimate: 101, limit: 100 });
    expect(costRefusal({ rows: 1, cost: 1001 }, limits)?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_EXPENSIVE', estimate: 1001, limit: 1000 });
  });
});
