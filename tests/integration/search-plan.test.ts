import { addCustomer } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Search must be served by indexes at scale (see the performance notes): with sequential scans
 * disabled, the planner must be able to answer our actual statements from the trigram and
 * case-insensitive indexes. (Timings are for the benchmarks; this proves the statements are indexable.)
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await addCustomer(app, { customerId: 'ACME' });
  await app.testDatabase.rawQuery(`
    INSERT INTO customer_user (login, email, customer_id, first_name, last_name, valid_id, create_time, create_by, change_time, change_by)
    SELECT 'user' || i, 'user' || i || '@acme.test', 'ACME', 'First' || i, 'Last' || i, 1, now(), 1, now(), 1
    FROM generate_series(1, 2000) AS i`);
  await app.testDatabase.rawQuery('ANALYZE customer_user');
});
afterAll(() => app.close());

/** Runs the operation, then EXPLAINs the statement it sent that matches `pick`. */
async function planOf(query: string, pick: (sql: string) => boolean): Promise<string> {
  app.statements.recent.length = 0;
  await app.ok(query);
  const statement = app.statements.recent.find((s) => pick(s.sql));
  if (!statement) throw new Error(`no statement matched among ${JSON.stringify(app.statements.recent.map((s) => s.sql))}`);
  await app.testDatabase.rawQuery('SET enable_seqscan = off');
  try {
    const rows = await app.testDatabase.rawQuery<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.sql}`, statement.params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await app.testDatabase.rawQuery('RESET enable_seqscan');
  }
}

it('free-text search uses the trigram indexes of the search columns', async () => {
  // createdAt: the whole record is read, so the page's rows are joined back (a page of only a few
  // columns is planned as the table's size suggests: at 2000 rows, a hash join).
  const plan = await planOf(`{ customerUsers(search: "ast19") { totalCount nodes { login createdAt } } }`, (sql) => sql.includes('MATERIALIZED'));
  expect(plan).toMatch(/Bitmap Index Scan on customer_user_(login|first_name|last_name|customer_id)_trgm/);
  expect(plan).not.toMatch(/Seq Scan on customer_user/);
  // The page's rows are fetched by key through the btree, never through a trigram index.
  expect(plan).toMatch(/Index Scan using customer_user_login_ci/);
});

it('a search for everything is planned like a plain listing: the page walks the login index', async () => {
  const plan = await planOf(`{ customerUsers(search: "*", limit: 20) { totalCount nodes { login } } }`, (sql) => sql.includes('"__total"'));
  expect(plan).not.toMatch(/MATERIALIZED|CTE/);
  expect(plan).toMatch(/Index Scan using customer_user_login_ci/);
});

it('email lookup uses the case-insensitive email index', async () => {
  const plan = await planOf(`{ customerUsers(email: "USER7@acme.test") { nodes { login } } }`, (sql) => sql.includes('MATERIALIZED'));
  expect(plan).toMatch(/customer_user_email_ci/);
  expect(plan).not.toMatch(/Seq Scan on customer_user/);
});

it('a lookup by login uses the case-insensitive login index', async () => {
  const plan = await planOf(`{ customerUser(login: "USER42") { login } }`, (sql) => sql.includes('FROM "customer_user"'));
  expect(plan).toMatch(/customer_user_login_ci/);
  expect(plan).not.toMatch(/Seq Scan on customer_user/);
});
