import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import defaults from '../../config/defaults.json';
import pino from 'pino';
import { createApp } from '../../src/app';
import { searchIndexNeeds } from '../../src/backends/db/open-stores';
import { createMissingSearchIndexes, missingSearchIndexes } from '../../src/backends/db/search-indexes';
import { addMissingMapColumns, readTableColumns } from '../../src/backends/db/table-columns';
import { ConfigError } from '../../src/config/issues';
import { openDatabase } from '../../src/db/client';
import { onlyError, startTestApp, testConfig, type TestApp } from '../support/test-app';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database';

/**
 * The README's example: an administrator adds a `room` column and the Map row
 * ['UserRoom', 'Room', 'room', 0, 1, 'var', '', 0, undef, undef]; the GraphQL API grows a `room` field.
 */
const ROOM_ROW = ['UserRoom', 'Room', 'room', 0, 1, 'var', '', 0, null, null];
const FLOOR_ROW = { attribute: 'UserFloor', label: 'Floor', storage: 'floor', type: 'int', readonly: 1, graphqlName: 'floorNumber' };
const withRows = (...rows: unknown[]) => ({ CustomerUser: { Map: [...defaults.CustomerUser.Map, ...rows] } });

const TypeFields = `
  query TypeFields($name: String!) {
    __type(name: $name) { inputFields { name type { kind name ofType { name } } } fields { name type { kind name ofType { name } } } }
  }`;

interface TypeField { name: string; type: { kind: string; name: string | null; ofType: { name: string } | null } }

async function fieldsOf(app: TestApp, typeName: string): Promise<TypeField[]> {
  const data = await app.ok<{ __type: { inputFields: TypeField[] | null; fields: TypeField[] | null } }, { name: string }>(TypeFields, { name: typeName });
  return data.__type.fields ?? data.__type.inputFields ?? [];
}

const typeOf = (fields: TypeField[], name: string) => {
  const field = fields.find((f) => f.name === name);
  if (!field) return undefined;
  return field.type.kind === 'NON_NULL' ? `${field.type.ofType?.name}!` : field.type.name;
};

describe('adding the room column', () => {
  let testDatabase: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.close();
    await testDatabase.dispose();
  });

  it('refuses to start while the Map names a column the table lacks, naming the row and the fix', async () => {
    await expect(startTestApp({ database: testDatabase, overrides: withRows(ROOM_ROW) })).rejects.toThrow(ConfigError);
    await expect(startTestApp({ database: testDatabase, overrides: withRows(ROOM_ROW) })).rejects.toThrow(
      'CustomerUser.Map[16][2]: column "room" does not exist in table "customer_user"; run `npm run db:add-map-columns` to add it',
    );
  });

  it('refuses a Map that makes a NOT NULL column optional, or leaves one unwritten', async () => {
    const optionalFirstName = defaults.CustomerUser.Map.map((row) => (row[0] === 'UserFirstname' ? [...row.slice(0, 4), 0, ...row.slice(5)] : row));
    await expect(startTestApp({ database: testDatabase, overrides: { CustomerUser: { Map: optionalFirstName } } })).rejects.toThrow(
      'CustomerUser.Map[1][4]: column "first_name" is NOT NULL without a default, so the row must be required (1)',
    );
    await testDatabase.rawQuery(`ALTER TABLE customer_company ADD COLUMN region varchar(20) NOT NULL`);
    try {
      await expect(startTestApp({ database: testDatabase })).rejects.toThrow(
        'CustomerCompany.Params.Table: column "region" of table "customer_company" is NOT NULL without a default, but no Map row writes it',
      );
    } finally {
      await testDatabase.rawQuery(`ALTER TABLE customer_company DROP COLUMN region`);
    }
  });

  it('starts once the column exists, with room on CustomerUser and in the inputs', async () => {
    const added = await addMissingMapColumns(testDatabase.database.db, 'customer_user', testConfig(withRows(ROOM_ROW, FLOOR_ROW)).CustomerUser.fields);
    expect(added).toEqual(['room', 'floor']);
    const columns = await readTableColumns(testDatabase.database.db, 'customer_user');
    expect(columns.get('room')).toMatchObject({ dataType: 'character varying', maxLength: 250 });
    expect(columns.get('floor')).toMatchObject({ dataType: 'integer' });

    app = await startTestApp({ database: testDatabase, overrides: withRows(ROOM_ROW, FLOOR_ROW) });
    const output = await fieldsOf(app, 'CustomerUser');
    expect(typeOf(output, 'room')).toBe('String');
    expect(typeOf(output, 'floorNumber')).toBe('Int');
    expect(typeOf(await fieldsOf(app, 'CustomerUserCreateInput'), 'room')).toBe('String!');
    expect(typeOf(await fieldsOf(app, 'CustomerUserCreateInput'), 'floorNumber')).toBe('Int');
    expect(typeOf(await fieldsOf(app, 'CustomerUserUpdateInput'), 'room')).toBe('String');
    // readonly: written on create, never on update
    expect(typeOf(await fieldsOf(app, 'CustomerUserUpdateInput'), 'floorNumber')).toBeUndefined();
    expect(typeOf(await fieldsOf(app, 'CustomerUserFilter'), 'room')).toBe('String');
  });

  it('writes, reads, searches and patches room', async () => {
    await app.ok(`mutation { createCustomer(input: { customerId: "ACME", name: "Acme" }) { customerId } }`);
    const created = await app.ok<{ createCustomerUser: { customerUser: { room: string; floorNumber: number } } }, unknown>(`
      mutation { createCustomerUser(input: { login: "roomy", email: "roomy@acme.test", customerId: "ACME",
        firstName: "Roo", lastName: "My", room: "B-204", floorNumber: 2 }) { customerUser { room floorNumber } } }`);
    expect(created.createCustomerUser.customerUser).toEqual({ room: 'B-204', floorNumber: 2 });

    const found = await app.ok<{ customerUsers: { nodes: { login: string; room: string }[] } }, unknown>(
      `{ customerUsers(filter: { room: "b-2*" }) { nodes { login room } } }`,
    );
    expect(found.customerUsers.nodes).toEqual([{ login: 'roomy', room: 'B-204' }]);

    const updated = await app.ok<{ updateCustomerUser: { room: string } }, unknown>(
      `mutation { updateCustomerUser(login: "roomy", input: { room: "C-1" }) { room } }`,
    );
    expect(updated.updateCustomerUser.room).toBe('C-1');
    const fields = await app.ok<{ customerUserFields: { name: string; label: string; required: boolean; readonly: boolean }[] }, unknown>(
      `{ customerUserFields { name label required readonly } }`,
    );
    expect(fields.customerUserFields.slice(-2)).toEqual([
      { name: 'room', label: 'Room', required: true, readonly: false },
      { name: 'floorNumber', label: 'Floor', required: false, readonly: true },
    ]);
  });

  it('honours the required flag: room cannot be omitted, blank or cleared', async () => {
    const omitted = await app.request(`
      mutation { createCustomerUser(input: { login: "noroom", email: "noroom@acme.test", customerId: "ACME",
        firstName: "No", lastName: "Room" }) { customerUser { login } } }`);
    expect(onlyError(omitted).message).toMatch(/room/);
    const blank = await app.request(`
      mutation { createCustomerUser(input: { login: "noroom", email: "noroom@acme.test", customerId: "ACME",
        firstName: "No", lastName: "Room", room: "  " }) { customerUser { login } } }`);
    expect(onlyError(blank).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'room' });
    const cleared = await app.request(`mutation { updateCustomerUser(login: "roomy", input: { room: null }) { room } }`);
    expect(onlyError(cleared).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'room' });
  });

  it('refuses a room longer than its column', async () => {
    const result = await app.request(`mutation { updateCustomerUser(login: "roomy", input: { room: "${'r'.repeat(251)}" }) { room } }`);
    expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'room' });
  });

  it('without the row, the field disappears again (the column stays)', async () => {
    const plain = await startTestApp({ database: testDatabase });
    try {
      expect(typeOf(await fieldsOf(plain, 'CustomerUser'), 'room')).toBeUndefined();
      expect((await readTableColumns(testDatabase.database.db, 'customer_user')).has('room')).toBe(true);
    } finally {
      await plain.close();
    }
  });
});

describe('search indexes for added search columns', () => {
  it('are reported at startup when missing, and created on request', async () => {
    const testDatabase = await createTestDatabase();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    try {
      const config = testConfig({ CustomerUser: { ...withRows(ROOM_ROW).CustomerUser, CustomerUserSearchFields: ['login', 'room'] } });
      await testDatabase.database.migrate();
      await addMissingMapColumns(testDatabase.database.db, 'customer_user', config.CustomerUser.fields);
      await (await createApp(config, { database: testDatabase.database, logger })).close();
      expect(lines.join('')).toContain('customer_user: without the indexes customer_user_room_trgm, free-text search on room scans the whole table; add them with `npm run db:indexes`');

      const needs = searchIndexNeeds(config);
      expect(await createMissingSearchIndexes(testDatabase.database.db, needs[0]!)).toEqual(['customer_user_room_trgm']);
      expect(await missingSearchIndexes(testDatabase.database.db, needs[0]!)).toEqual([]);
      lines.length = 0;
      await (await createApp(config, { database: testDatabase.database, logger })).close();
      expect(lines).toEqual([]);
    } finally {
      await testDatabase.dispose();
    }
  });
});

describe('npm run db:add-map-columns', () => {
  const run = promisify(execFile);
  let dir: string;
  let testDatabase: TestDatabase | null = null;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cug-map-columns-'));
  });
  afterAll(async () => {
    await testDatabase?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the missing Map columns to the configured database, and is idempotent', async () => {
    const configFile = join(dir, 'local.json');
    const searchable = { CustomerUser: { ...withRows(ROOM_ROW).CustomerUser, CustomerUserSearchFields: ['login', 'room'] } };
    writeFileSync(configFile, JSON.stringify(searchable));
    const env: Record<string, string> = { ...process.env, CONFIG_FILE: configFile, LOG_LEVEL: 'silent' } as Record<string, string>;
    delete env.DATABASE_URL;
    let url: string | null = null;
    if (onPostgres) {
      testDatabase = await createTestDatabase();
      url = testDatabase.url!;
      env.DATABASE_URL = url;
    } else {
      env.PGLITE_DIR = join(dir, 'pglite');
    }
    const command = ['node_modules/.bin/tsx', ['src/cli/add-map-columns.ts']] as const;
    const first = await run(...command, { env });
    expect(first.stdout).toContain('CustomerUser (customer_user): added room');
    expect(first.stdout).toContain('customer_user: created search indexes customer_user_room_trgm');
    const second = await run(...command, { env });
    expect(second.stdout).toContain('CustomerUser (customer_user): nothing to add');
    expect(second.stdout).not.toContain('created search indexes');

    const database = await openDatabase(url ? { url } : { pgliteDir: env.PGLITE_DIR! });
    try {
      expect((await readTableColumns(database.db, 'customer_user')).get('room')?.maxLength).toBe(250);
    } finally {
      await database.close();
    }
  }, 60_000);
});
