import postgres from 'postgres';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, onPostgres } from '../support/test-database';

/** database.statementTimeoutMs on PostgreSQL (PGlite does not enforce statement_timeout). */
const describeOnPostgres = onPostgres ? describe : describe.skip;
if (!onPostgres) process.stderr.write('NOTICE: statement timeout tests skipped: PGlite does not enforce statement_timeout (set TEST_DATABASE_URL)\n'); // Jest hides console output of fully skipped suites

describeOnPostgres('the statement timeout', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ database: await createTestDatabase({ timeouts: { statementTimeoutMs: 300 } }) });
    await app.ok(`mutation { createCustomer(input: { customerId: "slow", name: "Slow" }) { customerId } }`);
  });
  afterAll(async () => {
    await app.close();
    await app.testDatabase.dispose();
  });

  it('cancels a statement that waits too long and answers TIMEOUT / STATEMENT_TIMEOUT, writing nothing', async () => {
    // Another session holds the row: the update's statement waits on the lock until the timeout.
    const other = postgres(app.testDatabase.url!, { max: 1, onnotice: () => undefined });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = other.begin(async (tx) => {
      await tx`SELECT 1 FROM customer_company WHERE customer_id = 'slow' FOR UPDATE`;
      locked();
      await held;
    });
    try {
      await isLocked;
      const started = Date.now();
      const result = await app.request(`mutation { updateCustomer(customerId: "slow", input: { name: "Changed" }) { name } }`);
      expect(onlyError(result)).toMatchObject({ extensions: { code: 'TIMEOUT', reason: 'STATEMENT_TIMEOUT' } });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      release();
      await holder;
      await other.end();
    }
    expect(await app.ok(`{ customer(customerId: "slow") { name } }`)).toEqual({ customer: { name: 'Slow' } });
  });
});
