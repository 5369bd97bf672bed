import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import pino from 'pino';
import { createApp } from '../../src/app';
import { createSpeedIndexes, indexPlan, missingSpeedIndexes } from '../../src/backends/db/speed-indexes';
import { openPglite } from '../../src/db/client';
import { MigrationError } from '../../src/db/migrate';
import { hashPassword } from '../../src/passwords';
import { md5Crypt } from '../../src/passwords/unix-crypt';
import { verifyPassword } from '../../src/passwords/verify';
import { createOtoboDatabase, OTOBO_FIXTURE, publicCatalog, userSchemas } from '../support/otobo-fixture';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database';
import { testConfig, TestApp } from '../support/test-app';

const SECRET = 'otobo-secret';
const hex = (algorithm: string) => createHash(algorithm).update(SECRET).digest('hex');

/** Rows as OTOBO's own frontends write them: '' for empty fields, logins and CustomerIDs in mixed case, its password formats. */
async function insertOtoboRows(db: TestDatabase): Promise<Record<string, string>> {
  const passwords = {
    JDoe: hex('sha256'),
    'Mary.Major': await hashPassword(SECRET, 4),
    'old.md5': md5Crypt(SECRET, 'saltsalt', '$1$'),
    'old.sha1': hex('sha1'),
  };
  await db.rawQuery(`INSERT INTO customer_company (customer_id, name, street, zip, city, country, url, comments, valid_id, create_time, create_by, change_time, change_by)
    VALUES ('Acme-X', 'Acme Corporation', '', '', '', '', '', '', 1, now(), 1, now(), 1),
           ('Beta', 'Beta Ltd', 'Main St 1', '12345', 'Berlin', 'Germany', '', '', 1, now(), 1, now(), 1)`);
  for (const [login, pw] of Object.entries(passwords)) {
    await db.rawQuery(
      `INSERT INTO customer_user (login, email, customer_id, pw, title, first_name, last_name, phone, fax, mobile, street, zip, city, country, comments, valid_id, create_time, create_by, change_time, change_by)
       VALUES ($1, $2, 'Acme-X', $3, '', $4, 'Doe', '', '', '', '', '', '', '', '', 1, now(), 1, now(), 1)`,
      [login, `${login.toLowerCase()}@acme.example`, pw, login.split('.')[0]],
    );
  }
  await db.rawQuery(`INSERT INTO customer_preferences (user_id, preferences_key, preferences_value) VALUES ('JDoe', 'UserLanguage', 'de')`);
  await db.rawQuery(`INSERT INTO customer_user_customer (user_id, customer_id, create_time, create_by, change_time, change_by) VALUES ('JDoe', 'Beta', now(), 1, now(), 1)`);
  await db.rawQuery(`INSERT INTO service (name, valid_id, comments, create_time, create_by, change_time, change_by)
    VALUES ('IT', 1, '', now(), 1, now(), 1), ('IT::Email', 1, '', now(), 1, now(), 1)`);
  return passwords;
}

const CUSTOMER_USER = `query($login: String!) { customerUser(login: $login) {
  login email title phone customerId customer { customerId name } extraCustomerIds preferences { key value }
  groupPermissions { group { name } types } ownServices { name } } }`;

function capturingLogger(lines: string[]) {
  return pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line).msg) });
}

async function startOn(testDatabase: TestDatabase, lines: string[] = []): Promise<TestApp> {
  const app = await createApp(testConfig({ CustomerGroupSupport: 1 }), { database: testDatabase.database, logger: capturingLogger(lines) });
  return new TestApp(app, testDatabase, false);
}

describe('over an existing OTOBO database', () => {
  let db: TestDatabase;
  let passwords: Record<string, string>;
  let before: Record<string, unknown[]>;
  const warnings: string[] = [];
  let app: TestApp;

  beforeAll(async () => {
    db = await createOtoboDatabase();
    passwords = await insertOtoboRows(db);
    before = await publicCatalog(db);
    app = await startOn(db, warnings);
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it("serves OTOBO's rows: '' values, mixed-case logins, extra customers, preferences", async () => {
    const { customerUser } = await app.ok<{ customerUser: Record<string, unknown> }, unknown>(CUSTOMER_USER, { login: 'jdoe' });
    expect(customerUser).toMatchObject({
      login: 'JDoe',
      email: 'jdoe@acme.example',
      customerId: 'Acme-X',
      customer: { customerId: 'Acme-X', name: 'Acme Corporation' },
      extraCustomerIds: ['Beta'],
      preferences: expect.arrayContaining([{ key: 'UserLanguage', value: 'de' }]),
    });
    expect(['', null]).toContain(customerUser.title);
    const search = await app.ok<{ customerUsers: { totalCount: number; nodes: { login: string }[] } }, unknown>(
      `{ customerUsers(search: "doe", orderBy: [{ field: LOGIN }]) { totalCount nodes { login } } }`,
    );
    expect(search.customerUsers.nodes.map((n) => n.login)).toEqual(['JDoe', 'Mary.Major', 'old.md5', 'old.sha1']);
    const customers = await app.ok<{ customers: { nodes: { customerId: string }[] } }, unknown>(`{ customers(search: "acme*") { nodes { customerId } } }`);
    expect(customers.customers.nodes.map((n) => n.customerId)).toEqual(['Acme-X']);
  });

  it('writes customers, users, group permissions and services into the OTOBO tables', async () => {
    await app.ok(`mutation { createCustomer(input: { customerId: "Gamma", name: "Gamma GmbH" }) { customerId } }`);
    await app.ok(`mutation { createCustomerUser(input: { login: "New.User", email: "new@gamma.example", customerId: "Gamma",
      firstName: "New", lastName: "User", password: "${SECRET}" }) { customerUser { login } } }`);
    await app.ok(`mutation { updateCustomerUser(login: "jdoe", input: { phone: "+49 30 1" }) { phone } }`);
    const { services } = await app.ok<{ services: { id: number; name: string }[] }, unknown>(`{ services { id name } }`);
    const { groups } = await app.ok<{ groups: { id: number; name: string }[] }, unknown>(`{ groups { id name } }`);
    const users = groups.find((g) => g.name === 'users')!;
    await app.ok(`mutation { setCustomerUserGroups(login: "jdoe", permissions: [{ groupId: ${users.id}, types: ["ro"] }]) { login } }`);
    await app.ok(`mutation { setCustomerUserServices(login: "JDOE", serviceIds: [${services[0]!.id}]) { login } }`);
    await app.ok(`mutation { addCustomerUserCustomer(login: "jdoe", customerId: "Gamma") { login } }`);
    await app.ok(`mutation { createGroup(input: { name: "support" }) { id } }`);

    const { customerUser } = await app.ok<{ customerUser: Record<string, unknown> }, unknown>(CUSTOMER_USER, { login: 'JDoe' });
    expect(customerUser).toMatchObject({
      phone: '+49 30 1',
      extraCustomerIds: ['Beta', 'Gamma'],
      groupPermissions: [{ group: { name: 'users' }, types: ['ro'] }],
      ownServices: [{ name: 'IT' }],
    });
    const stored = await db.rawQuery<{ user_id: string; group_id: number }>(`SELECT user_id, group_id FROM group_customer_user`);
    expect(stored).toEqual([{ user_id: 'JDoe', group_id: users.id }]);
  });

  it('leaves every stored password format as it was, and each still verifies', async () => {
    const rows = await db.rawQuery<{ login: string; pw: string }>(`SELECT login, pw FROM customer_user ORDER BY login`);
    const stored = Object.fromEntries(rows.map((r) => [r.login, r.pw]));
    expect(stored).toMatchObject(passwords);
    expect(stored['New.User']).toMatch(/^BCRYPT:4:/);
    for (const pw of Object.values(stored)) expect(await verifyPassword(SECRET, pw)).toBe(true);
  });

  it("keeps its own tables in schema customer_graphql and leaves the structure of OTOBO's tables unchanged", async () => {
    expect(await userSchemas(db)).toEqual(['customer_graphql', 'public']);
    const own = await db.rawQuery<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'customer_graphql' ORDER BY 1`,
    );
    expect(own.map((t) => t.table_name)).toEqual(['__drizzle_migrations', 'gql_api_token', 'gql_audit_log']);
    expect(await db.rawQuery(`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`)).toEqual([]);
    expect(await publicCatalog(db)).toEqual(before);
  });

  it('warns at startup about the missing indexes, naming what is slow and the command', () => {
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^customer_user: without the indexes customer_user_login_trgm, .*free-text search on login, .* scan the whole table; add them with `npm run db:indexes`$/),
        expect.stringMatching(/^group_customer_user: without the indexes group_customer_user_user_id_ci, case-insensitive lookups by user_id scans the whole table/),
      ]),
    );
  });
});

describe('npm run db:indexes over an OTOBO database', () => {
  it('creates what the startup warning asked for (CONCURRENTLY), and the warning is gone', async () => {
    const db = await createOtoboDatabase();
    try {
      await insertOtoboRows(db);
      const config = testConfig();
      const missing = await missingSpeedIndexes(db.database.db, config);
      const plan = await indexPlan(db.database.db, missing);
      expect(plan[0]).toBe('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      expect(plan).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "customer_user_login_trgm" ON "customer_user" USING gin ("login" gin_trgm_ops)');
      expect(plan).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "customer_user_login_ci" ON "customer_user" USING btree (lower("login") COLLATE "C")');

      const outcome = await createSpeedIndexes(db.database.db, missing, () => undefined);
      expect(outcome).toEqual({ created: missing.map((i) => i.name), failures: [] });
      expect(await missingSpeedIndexes(db.database.db, config)).toEqual([]);

      const warnings: string[] = [];
      const app = await startOn(db, warnings);
      try {
        expect(warnings).toEqual([]);
        const search = await app.ok<{ customerUsers: { totalCount: number } }, unknown>(`{ customerUsers(search: "*major*") { totalCount } }`);
        expect(search.customerUsers.totalCount).toBe(1);
      } finally {
        await app.close();
      }
    } finally {
      await db.dispose();
    }
  });
});

describe('the db:indexes command', () => {
  const run = promisify(execFile);
  const command = (...args: string[]) => ['node_modules/.bin/tsx', ['src/cli/create-indexes.ts', ...args]] as const;

  it('answers --help without a database', async () => {
    const { stdout } = await run(...command('--help'), { env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(stdout).toMatch(/^Usage: npm run db:indexes \[-- --print\]/);
    expect(stdout).toContain('--print   show the SQL it would run, change nothing');
  });

  it('prints the SQL with --print, creates the indexes without it, and then finds nothing to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cug-indexes-'));
    const env: Record<string, string> = { ...process.env, LOG_LEVEL: 'silent' } as Record<string, string>;
    delete env.DATABASE_URL;
    let db: TestDatabase | null = null;
    try {
      if (onPostgres) {
        db = await createOtoboDatabase();
        env.DATABASE_URL = db.url!;
      } else {
        env.PGLITE_DIR = join(dir, 'pglite');
        const pglite = await openPglite(env.PGLITE_DIR);
        await pglite.exec(readFileSync(OTOBO_FIXTURE, 'utf8'));
        await pglite.close();
      }
      const printed = await run(...command('--print'), { env });
      expect(printed.stdout.split('\n')[0]).toBe('CREATE EXTENSION IF NOT EXISTS pg_trgm;');
      expect(printed.stdout).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "customer_user_login_trgm" ON "customer_user" USING gin ("login" gin_trgm_ops);');
      const created = await run(...command(), { env });
      expect(created.stdout).toContain('created extension pg_trgm\n'); // so --print had not
      expect(created.stdout).toContain('created index customer_user_login_trgm on customer_user\n');
      expect((await run(...command('--print'), { env })).stdout).toBe('all indexes are present\n');
    } finally {
      await db?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe.each(['permission_groups', 'groups'])('with the group table of older releases, %s', (groupTable) => {
  it('lists, creates and grants groups', async () => {
    const db = await createOtoboDatabase({ groupTable });
    const app = await startOn(db).catch(async (error: unknown) => {
      await db.dispose();
      throw error;
    });
    try {
      await insertOtoboRows(db);
      const created = await app.ok<{ createGroup: { id: number } }, unknown>(`mutation { createGroup(input: { name: "support" }) { id } }`);
      await app.ok(`mutation { setCustomerUserGroups(login: "jdoe", permissions: [{ groupId: ${created.createGroup.id}, types: ["rw"] }]) { login } }`);
      const { groups } = await app.ok<{ groups: { name: string; customerUsers: { customerUser: { login: string } }[] }[] }, unknown>(
        `{ groups { name customerUsers { customerUser { login } } } }`,
      );
      expect(groups.map((g) => g.name).sort()).toEqual(['admin', 'stats', 'support', 'users']);
      expect(groups.find((g) => g.name === 'support')!.customerUsers.map((u) => u.customerUser.login)).toEqual(['JDoe']);
      const names = await db.rawQuery<{ name: string }>(`SELECT name FROM ${groupTable} ORDER BY id`);
      expect(names.map((n) => n.name)).toContain('support');
    } finally {
      await app.close();
      await db.dispose();
    }
  });
});

describe('a failed migration', () => {
  it('says in one line which statement failed and why, and leaves nothing behind', async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      // Something in the way of the server's own OTOBO schema on an otherwise empty database.
      await db.rawQuery(`CREATE TABLE customer_company (planted integer)`);
      const failure = await db.database.migrate().then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as Error).message).toBe(
        'database migration 0001_otobo_schema failed at CREATE TABLE "customer_company": relation "customer_company" already exists (nothing was changed)',
      );
      expect(await userSchemas(db)).toEqual(['public']);
      expect(await db.rawQuery(`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`)).toEqual([]);
      const tables = await db.rawQuery<{ relname: string }>(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`,
      );
      expect(tables).toEqual([{ relname: 'customer_company' }]);
    } finally {
      await db.dispose();
    }
  });
});

describe('a database of an earlier version (own tables in public, bookkeeping in schema drizzle)', () => {
  it('moves tokens, history and bookkeeping into customer_graphql, keeping every row', async () => {
    const db = await createTestDatabase({ empty: true });
    const folder = `.jest-tmp/drizzle-old-${randomBytes(4).toString('hex')}`;
    try {
      // The layout those versions left: their three migrations, applied by drizzle's own migrator.
      mkdirSync('.jest-tmp', { recursive: true });
      cpSync('drizzle', folder, { recursive: true });
      const journal = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
      writeFileSync(`${folder}/meta/_journal.json`, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 3) }));
      const migrateOld = db.database.kind === 'pglite' ? migratePglite : migratePostgres;
      await migrateOld(db.database.db as never, { migrationsFolder: folder });
      await db.rawQuery(`INSERT INTO gql_api_token (name, role, token_sha256, agent_id) VALUES ('kept', 'reader', $1, 1)`, [hex('sha256')]);
      await db.rawQuery(`INSERT INTO gql_audit_log (entity_type, entity_key, action, actor, agent_id, changes)
        VALUES ('Customer', 'Acme', 'create', 'token kept', 1, '{}')`);

      await db.database.migrate();
      expect(await userSchemas(db)).toEqual(['customer_graphql', 'public']);
      expect(await db.rawQuery(`SELECT name FROM customer_graphql.gql_api_token`)).toEqual([{ name: 'kept' }]);
      expect(await db.rawQuery(`SELECT entity_key FROM customer_graphql.gql_audit_log`)).toEqual([{ entity_key: 'Acme' }]);
      expect(await db.rawQuery(`SELECT count(*)::int AS n FROM customer_graphql.__drizzle_migrations`)).toEqual([{ n: 4 }]);
      await db.rawQuery(`INSERT INTO customer_graphql.gql_audit_log (entity_type, entity_key, action, actor, agent_id, changes)
        VALUES ('Customer', 'Beta', 'create', 'after the move', 1, '{}')`);
      await db.database.migrate(); // nothing left to do
      const app = await startOn(db);
      try {
        const { customer } = await app.ok<{ customer: unknown }, unknown>(`{ customer(customerId: "Acme") { customerId } }`);
        expect(customer).toBeNull();
      } finally {
        await app.close();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await db.dispose();
    }
  });
});
