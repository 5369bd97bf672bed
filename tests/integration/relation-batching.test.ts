import { graphql } from '../generated';
import { addCustomer } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const SAME = 'Ticket::CustomerID::Same';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ overrides: { CustomerGroupSupport: 1 } });
  for (const customerId of ['north', 'south', 'east', 'west']) await addCustomer(app, { customerId });
  const raw = app.testDatabase.rawQuery.bind(app.testDatabase);
  await raw(`INSERT INTO groups_table (name, valid_id, create_time, create_by, change_time, change_by)
             VALUES ('support', 1, now(), 1, now(), 1), ('sales', 1, now(), 1, now(), 1)`);
  await raw(`INSERT INTO service (name, valid_id, create_time, create_by, change_time, change_by)
             VALUES ('Desk', 1, now(), 1, now(), 1), ('Mail', 1, now(), 1, now(), 1)`);
  // Users and their relations straight into the tables (the API paths are tested elsewhere): every
  // user gets one extra customer, a direct permission (ro or rw) and, every other one, an own service.
  await raw(`INSERT INTO customer_user (login, email, customer_id, first_name, last_name, valid_id, create_time, create_by, change_time, change_by)
             SELECT 'user' || lpad(i::text, 2, '0'), 'user' || i || '@acme.test', (ARRAY['north','south','east','west'])[i % 4 + 1],
                    'First', 'Last', 1, now(), 1, now(), 1
               FROM generate_series(0, 54) AS i`);
  await raw(`INSERT INTO customer_user_customer (user_id, customer_id, create_time, create_by, change_time, change_by)
             SELECT 'user' || lpad(i::text, 2, '0'), (ARRAY['north','south','east','west'])[(i + 1) % 4 + 1], now(), 1, now(), 1
               FROM generate_series(0, 54) AS i`);
  await raw(`INSERT INTO group_customer_user (user_id, group_id, permission_key, permission_value, create_time, create_by, change_time, change_by)
             SELECT 'user' || lpad(i::text, 2, '0'), g.id, CASE WHEN i % 2 = 0 THEN 'ro' ELSE 'rw' END, 1, now(), 1, now(), 1
               FROM generate_series(0, 54) AS i, groups_table g WHERE g.name = 'support'`);
  await raw(`INSERT INTO service_customer_user (customer_user_login, service_id, create_time, create_by)
             SELECT 'user' || lpad(i::text, 2, '0'), s.id, now(), 1 FROM generate_series(0, 54, 2) AS i, service s WHERE s.name = 'Desk'`);
  await raw(`INSERT INTO group_customer (customer_id, group_id, permission_key, permission_value, permission_context, create_time, create_by, change_time, change_by)
             SELECT 'south', id, 'ro', 1, $1, now(), 1, now(), 1 FROM groups_table WHERE name = 'sales'`, [SAME]);
  await raw(`INSERT INTO service_customer_user (customer_user_login, service_id, create_time, create_by) SELECT '<DEFAULT>', id, now(), 1 FROM service WHERE name = 'Mail'`);
}, 120_000);
afterAll(() => app.close());

const Page = graphql(`
  query RelationPage {
    customerUsers(limit: 50) {
      nodes {
        login customerIds
        customers { customerId name }
        groupPermissions { group { name } types }
        effectivePermissions { group { name } types grants { type sources { kind customerId viaType } } }
        customerAccess { customer { customerId } direct }
        services { fromDefaults services { fullName } }
      }
    }
  }
`);

it('answers a page of 50 users with customers, groups, effective permissions and services in at most 6 statements', async () => {
  const before = app.statements.count;
  const nodes = (await app.ok(Page)).customerUsers.nodes;
  const statements = app.statements.count - before;
  expect(nodes).toHaveLength(50);

  const user00 = nodes.find((n) => n.login === 'user00')!;
  expect(user00.customerIds).toEqual(['north', 'south']);
  expect(user00.customers.map((c) => c.name)).toEqual(['north Ltd', 'south Ltd']);
  expect(user00.groupPermissions).toEqual([{ group: { name: 'support' }, types: ['ro'] }]);
  expect(user00.effectivePermissions.map((e) => [e.group.name, e.types])).toEqual([
    ['sales', ['ro']], // inherited from the extra customer south
    ['support', ['ro']],
    ['users', ['ro', 'rw']],
  ]);
  expect(user00.customerAccess).toEqual([
    { customer: { customerId: 'north' }, direct: true },
    { customer: { customerId: 'south' }, direct: true },
  ]);
  expect(user00.services).toEqual({ fromDefaults: false, services: [{ fullName: 'Desk' }] });
  const user01 = nodes.find((n) => n.login === 'user01')!;
  expect(user01.effectivePermissions.find((e) => e.group.name === 'support')!.types).toEqual(['ro', 'rw']);
  expect(user01.services).toEqual({ fromDefaults: true, services: [{ fullName: 'Mail' }] });

  expect(statements).toBeLessThanOrEqual(6);
  // The three login-keyed tables are read in one statement that takes the page's logins once.
  const loginRelations = app.statements.recent.slice(-statements).filter((s) => /customer_user_customer/.test(s.sql) && /service_customer_user/.test(s.sql));
  expect(loginRelations).toHaveLength(1);
  expect(loginRelations[0]!.params).toEqual([expect.arrayContaining(['user00', 'user49'])]);
});

describe('concurrent edits of one relation from both sides', () => {
  type Pair = string; // "login|customerId"
  type Op = { run: () => Promise<unknown>; apply: (state: Set<Pair>) => Set<Pair> };
  const userSide = (login: string, ids: string[]): Op => ({
    run: () => app.ok(graphql(`mutation RaceUser($l: String!, $c: [String!]!) { setCustomerUserCustomers(login: $l, customerIds: $c) { login } }`), { l: login, c: ids }),
    apply: (s) => new Set([...[...s].filter((p) => !p.startsWith(`${login}|`)), ...ids.map((id) => `${login}|${id}`)]),
  });
  const customerSide = (customerId: string, logins: string[]): Op => ({
    run: () => app.ok(graphql(`mutation RaceCustomer($c: String!, $l: [String!]!) { setCustomerCustomerUsers(customerId: $c, logins: $l) { customerId } }`), { c: customerId, l: logins }),
    apply: (s) => new Set([...[...s].filter((p) => !p.endsWith(`|${customerId}`)), ...logins.map((l) => `${l}|${customerId}`)]),
  });
  const add = (login: string, customerId: string): Op => ({
    run: () => app.ok(graphql(`mutation RaceAdd($l: String!, $c: String!) { addCustomerUserCustomer(login: $l, customerId: $c) { login } }`), { l: login, c: customerId }),
    apply: (s) => new Set([...s, `${login}|${customerId}`]),
  });

  function permutations<T>(items: readonly T[]): T[][] {
    if (items.length <= 1) return [[...items]];
    return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
  }
  const key = (s: Set<Pair>) => [...s].sort().join(',');

  it('end in the state of some serial order, without duplicate rows', async () => {
    // user02 (primary east) and user03 (primary west): north and south are extra customers for both.
    const ops = [userSide('user02', ['north', 'south']), customerSide('north', ['user03']), add('user02', 'west'), customerSide('south', ['user02', 'user03'])];
    const start = new Set<Pair>();
    const possible = new Set(permutations(ops).map((order) => key(order.reduce((s, op) => op.apply(s), start))));
    for (let round = 0; round < 8; round += 1) {
      await userSide('user02', []).run();
      await userSide('user03', []).run();
      await Promise.all(ops.map((op) => op.run()));
      const rows = await app.testDatabase.rawQuery<{ user_id: string; customer_id: string }>(
        `SELECT user_id, customer_id FROM customer_user_customer WHERE user_id IN ('user02', 'user03')`,
      );
      const pairs = rows.map((r) => `${r.user_id}|${r.customer_id}`);
      expect(new Set(pairs).size).toBe(pairs.length);
      expect(possible).toContain(key(new Set(pairs)));
    }
  });
});
