import { ADMIN_TOKEN, onlyError, startTestApp, type GraphQLErrorJson, type TestApp } from '../support/test-app';

/** Every refusal through yoga.fetch: its HTTP status, a stable code and reason, nothing echoed. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ overrides: { limits: { maxDepth: 6, maxAliases: 5, maxTokens: 400 } } });
});
afterAll(() => app.close());

interface Raw {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
  readonly errors: readonly GraphQLErrorJson[];
}

async function post(body: string, contentType = 'application/json'): Promise<Raw> {
  const response = await app.app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${ADMIN_TOKEN}` },
    body,
  });
  const text = await response.text();
  const errors = text ? ((JSON.parse(text) as { errors?: GraphQLErrorJson[] }).errors ?? []) : [];
  return { status: response.status, contentType: response.headers.get('content-type'), text, errors };
}

describe('requests yoga cannot read', () => {
  it('malformed JSON: 400, BAD_REQUEST, and nothing of the body echoed back', async () => {
    const raw = await post('{"query": "{ secret-marker');
    expect(raw.status).toBe(400);
    expect(raw.contentType).toMatch(/^application\/json/);
    expect(raw.errors).toEqual([{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST', reason: 'MALFORMED_JSON' } }]);
    expect(raw.text).not.toContain('secret-marker');
  });

  it('malformed JSON in GET query parameters too', async () => {
    const response = await app.app.yoga.fetch(`http://test/graphql?query=${encodeURIComponent('{ __typename }')}&variables=${encodeURIComponent('{oops')}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: GraphQLErrorJson[] };
    expect(body.errors[0]!.extensions).toEqual({ code: 'BAD_REQUEST', reason: 'MALFORMED_JSON' });
  });

  it('an unsupported content type: 415 with a JSON body and a code', async () => {
    const raw = await post('{ customerUser(login: "x") { login } }', 'text/plain');
    expect(raw.status).toBe(415);
    expect(raw.contentType).toMatch(/^application\/json/);
    expect(onlyError({ status: raw.status, errors: raw.errors }).extensions).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(raw.errors[0]!.message).toContain('"text/plain"');
  });
});

describe('variables that do not coerce', () => {
  it('answer HTTP 400 with BAD_USER_INPUT', async () => {
    const wrongType = await post(JSON.stringify({ query: 'query ($n: Int) { customerUsers(limit: $n) { totalCount } }', variables: { n: 'ten' } }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.errors[0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_VARIABLE' });
    const missing = await post(JSON.stringify({ query: 'query ($n: Int!) { customerUsers(limit: $n) { totalCount } }' }));
    expect(missing.status).toBe(400);
    expect(missing.errors[0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_VARIABLE' });
  });

  it("an operation name that selects nothing keeps yoga's own code", async () => {
    const raw = await post(JSON.stringify({ query: 'query A { __typename } query B { __typename }', operationName: 'C' }));
    expect(raw.errors[0]!.extensions).toEqual({ code: 'OPERATION_RESOLUTION_FAILURE' });
  });
});

describe("graphql-armor's limits", () => {
  it('depth: BAD_USER_INPUT, QUERY_TOO_DEEP', async () => {
    const deep = `{ customerUsers { nodes { customer { users { nodes { customer { users { nodes { login } } } } } } } } }`;
    const result = await app.request(deep);
    expect(onlyError(result)).toMatchObject({
      message: expect.stringMatching(/^Query depth limit of 6 exceeded/),
      extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP' },
    });
  });

  it('aliases: BAD_USER_INPUT, TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 7 }, (_, i) => `a${i}: customerUser(login: "x") { login }`).join(' ');
    const error = onlyError(await app.request(`{ ${aliases} }`));
    expect(error.message).toMatch(/^Aliases limit of 5 exceeded/);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_ALIASES' });
  });

  it('tokens: BAD_USER_INPUT, TOO_MANY_TOKENS', async () => {
    const fields = Array.from({ length: 250 }, () => 'login email').join(' ');
    const error = onlyError(await app.request(`{ customerUser(login: "x") { ${fields} } }`));
    expect(error.message).toMatch(/^Token limit of 400 exceeded/);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_TOKENS' });
  });

  it('directives: BAD_USER_INPUT, TOO_MANY_DIRECTIVES', async () => {
    const directives = Array.from({ length: 51 }, () => '@include(if: true)').join(' ');
    const error = onlyError(await app.request(`{ __typename ${directives} }`));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_DIRECTIVES' });
  });
});

describe('text PostgreSQL cannot store', () => {
  const createCustomer = `mutation ($input: CustomerCreateInput!) { createCustomer(input: $input) { customerId } }`;

  it('NUL: refused in variables and in the query text alike, naming the input field', async () => {
    const viaVariable = await app.request(`query ($s: String) { customerUsers(search: $s) { totalCount } }`, { s: 'a\u0000b' });
    expect(onlyError(viaVariable).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'NUL_CHARACTER', field: 's' });
    const inInput = await app.request(createCustomer, { input: { customerId: 'nul', name: 'x', street: 'a\u0000' } });
    expect(onlyError(inInput).extensions).toMatchObject({ reason: 'NUL_CHARACTER', field: 'input.street' });
    const inText = await app.request(`{ customerUser(login: "a\\u0000b") { login } }`);
    expect(onlyError(inText).extensions).toMatchObject({ reason: 'NUL_CHARACTER', field: 'login' });
  });

  it('a lone surrogate: BAD_USER_INPUT in any value, nothing written', async () => {
    // JSON.stringify escapes a lone surrogate as \ud800, exactly what a client sends.
    for (const value of ['\ud800', 'x\udc00y', 'ok\ud83d']) {
      const result = await app.request(createCustomer, { input: { customerId: 'surrogate', name: 'n', comment: value } });
      expect(result.status).toBe(200);
      expect(onlyError(result)).toMatchObject({
        message: expect.stringMatching(/lone surrogate \(U\+D[89ABCDEF][0-9A-F]{2}\)/),
        extensions: { code: 'BAD_USER_INPUT', reason: 'LONE_SURROGATE', field: 'input.comment' },
      });
    }
    const raw = await post('{"query":"mutation { createCustomer(input: { customerId: \\"s2\\", name: \\"\\\\ud800\\" }) { customerId } }"}');
    expect(raw.errors[0]!.extensions?.code).toBe('GRAPHQL_PARSE_FAILED'); // the GraphQL lexer refuses it first
    expect((await app.ok<{ customer: unknown }, unknown>(`{ customer(customerId: "surrogate") { customerId } }`)).customer).toBeNull();
  });

  it('a well-formed pair (an emoji) is fine', async () => {
    const result = await app.ok<{ createCustomer: { customerId: string } }, unknown>(createCustomer, {
      input: { customerId: 'emoji', name: 'Smile \ud83d\ude00' },
    });
    expect(result.createCustomer.customerId).toBe('emoji');
  });
});
