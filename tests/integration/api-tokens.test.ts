import { graphql } from '../generated';
import { onlyError, READER_TOKEN, startTestApp, type TestApp } from '../support/test-app';

const CreateToken = graphql(`
  mutation ApiTokensCreate($name: String!, $role: ApiTokenRole!, $agentId: Int) {
    createApiToken(name: $name, role: $role, agentId: $agentId) { token apiToken { name role agentId createdAt revokedAt } }
  }
`);
const RevokeToken = graphql(`
  mutation ApiTokensRevoke($name: String!) { revokeApiToken(name: $name) { name revokedAt } }
`);
const ListTokens = graphql(`query ApiTokensList { apiTokens { name role agentId createdAt revokedAt } }`);
const CountUsers = graphql(`query ApiTokensCountUsers { customerUsers { totalCount } }`);
const AddCustomer = graphql(`mutation ApiTokensAddCustomer($id: String!) { createCustomer(input: { customerId: $id, name: $id }) { customerId } }`);
const CustomerHistory = graphql(`query ApiTokensHistory($id: String!) { customer(customerId: $id) { history { actor } } }`);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const auditRows = (name: string) =>
  app.testDatabase.rawQuery<{ action: string; actor: string; changes: unknown }>(
    `SELECT action, actor, changes FROM customer_graphql.gql_audit_log WHERE entity_type = 'ApiToken' AND entity_key = $1 ORDER BY id`,
    [name],
  );

test('an admin creates a token, answered once, that works at once in its role and is listed without its secret', async () => {
  const { createApiToken } = await app.ok(CreateToken, { name: 'dashboard', role: 'READER' });
  expect(createApiToken.token).toMatch(/^cug_[A-Za-z0-9_-]{43}$/);
  expect(createApiToken.apiToken).toMatchObject({ name: 'dashboard', role: 'READER', agentId: 1, revokedAt: null });

  expect((await app.ok(CountUsers, undefined, { token: createApiToken.token })).customerUsers.totalCount).toBe(0);
  const write = await app.request(AddCustomer, { id: 'nope' }, { token: createApiToken.token });
  expect(onlyError(write).extensions?.code).toBe('FORBIDDEN');

  const { apiTokens } = await app.ok(ListTokens);
  expect(apiTokens).toContainEqual(createApiToken.apiToken);
  expect(JSON.stringify(apiTokens)).not.toContain(createApiToken.token);

  const rows = await auditRows('dashboard');
  expect(rows).toEqual([
    {
      action: 'create',
      actor: 'token:test-admin',
      changes: [
        { field: 'role', old: null, new: 'reader' },
        { field: 'agentId', old: null, new: 1 },
        { field: 'token', old: null, new: '(set)' },
      ],
    },
  ]);
});

test("an admin token made through the API writes as itself", async () => {
  const { createApiToken } = await app.ok(CreateToken, { name: 'deployer', role: 'ADMIN' });
  await app.ok(AddCustomer, { id: 'by-deployer' }, { token: createApiToken.token });
  const { customer } = await app.ok(CustomerHistory, { id: 'by-deployer' });
  expect(customer?.history.map((h) => h.actor)).toEqual(['token:deployer']);
});

test('a revoked token is refused at once; revoking again changes nothing; the name stays taken', async () => {
  const { createApiToken } = await app.ok(CreateToken, { name: 'short-lived', role: 'READER' });
  expect((await app.request(CountUsers, undefined, { token: createApiToken.token })).status).toBe(200);

  const first = (await app.ok(RevokeToken, { name: 'short-lived' })).revokeApiToken;
  expect(first.revokedAt).not.toBeNull();
  const refused = await app.request(CountUsers, undefined, { token: createApiToken.token });
  expect(refused.status).toBe(401);
  expect(onlyError(refused).extensions?.code).toBe('UNAUTHENTICATED');

  expect((await app.ok(RevokeToken, { name: 'short-lived' })).revokeApiToken).toEqual(first);
  expect((await auditRows('short-lived')).map((r) => r.action)).toEqual(['create', 'update']);
  const again = await app.request(CreateToken, { name: 'short-lived', role: 'READER' });
  expect(onlyError(again).extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
});

test.each([
  ['a taken name', { name: 'dup', role: 'READER' as const }, { code: 'CONFLICT', field: 'name' }],
  ["a config file token's name", { name: 'test-reader', role: 'READER' as const }, { code: 'CONFLICT', field: 'name' }],
  ['a name with spaces', { name: 'my token', role: 'READER' as const }, { code: 'BAD_USER_INPUT', field: 'name' }],
  ['an empty name', { name: '', role: 'READER' as const }, { code: 'BAD_USER_INPUT', field: 'name' }],
  ['an unknown agent', { name: 'ghost-agent', role: 'ADMIN' as const, agentId: 4242 }, { code: 'BAD_USER_INPUT', field: 'agentId', reason: 'UNKNOWN_AGENT' }],
])('creating a token with %s is refused', async (_case, variables, extensions) => {
  if (variables.name === 'dup') await app.ok(CreateToken, { name: 'dup', role: 'READER' });
  const before = (await app.ok(ListTokens)).apiTokens.length;
  expect(onlyError(await app.request(CreateToken, variables)).extensions).toMatchObject(extensions);
  expect((await app.ok(ListTokens)).apiTokens).toHaveLength(before);
});

test('revoking an unknown or config-file token answers NOT_FOUND', async () => {
  expect(onlyError(await app.request(RevokeToken, { name: 'never-made' })).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'name' });
  const configured = onlyError(await app.request(RevokeToken, { name: 'test-reader' }));
  expect(configured.message).toMatch(/config file/);
});

test('readers and anonymous callers can neither list, create nor revoke tokens', async () => {
  for (const [token, code] of [[READER_TOKEN, 'FORBIDDEN'], [null, 'UNAUTHENTICATED']] as const) {
    expect(onlyError(await app.request(ListTokens, undefined, { token })).extensions?.code).toBe(code);
    expect(onlyError(await app.request(CreateToken, { name: 'sneaky', role: 'ADMIN' }, { token })).extensions?.code).toBe(code);
    expect(onlyError(await app.request(RevokeToken, { name: 'dashboard' }, { token })).extensions?.code).toBe(code);
  }
  expect((await app.ok(ListTokens)).apiTokens.map((t) => t.name)).not.toContain('sneaky');
});
