import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import defaults from '../../config/defaults.json';
import type { ConfigError } from '../../src/config/issues';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, testConfig, type GraphQLResult, type TestApp } from '../support/test-app';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database';

/*
 * CustomerUser (customer_user), CustomerUser1 (customer_user_b, same database, cached),
 * CustomerUser3 (customer_user_c, read-only) and, on PostgreSQL, CustomerUser2: the customer_user
 * table of a second database, reached through a TCP relay the tests can cut and restore.
 */

const USERS = `query Users($search: String, $limit: Int, $offset: Int, $orderBy: [CustomerUserOrder!]) {
  customerUsers(search: $search, limit: $limit, offset: $offset, orderBy: $orderBy) { totalCount hasMore nodes { login source firstName } }
}`;
const USER = `query User($login: String!) { customerUser(login: $login) { login source firstName fullName } }`;
const CREATE = `mutation Create($input: CustomerUserCreateInput!, $backend: String) {
  createCustomerUser(input: $input, backend: $backend) { customerUser { login source } }
}`;
const UPDATE = `mutation Update($login: String!, $input: CustomerUserUpdateInput!) { updateCustomerUser(login: $login, input: $input) { login source firstName } }`;

type Users = { customerUsers: { totalCount: number; hasMore: boolean; nodes: { login: string; source: string; firstName: string | null }[] } };
type User = { customerUser: { login: string; source: string; firstName: string | null; fullName: string } | null };

const DEFAULT_USER_MAP = defaults.CustomerUser.Map as unknown[][];
const ROOM_ROW = ['UserRoom', 'Room', 'room', 1, 0, 'var', '', 0, null, null];

const input = (login: string, firstName = 'First') => ({ login, email: `${login}@acme.test`, customerId: 'ACME', firstName, lastName: 'Last' });

/**
 * A TCP relay to the PostgreSQL server: stop() is an outage (port closed), stall() one that
 * accepts connections but never answers, start()/resume() the recovery.
 */
class Relay {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  private stalled = false;
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async start(): Promise<void> {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      if (this.stalled) return;
      const upstream = connect(this.target.port, this.target.host);
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => undefined);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server?.close(resolve));
  }
  stall(): void {
    this.stalled = true;
    this.cut();
  }
  resume(): void {
    this.stalled = false;
    this.cut();
  }
  private cut(): void {
    for (const s of this.sockets) s.destroy();
  }
}

const EXTERNAL = onPostgres ? 'CustomerUser2' : null;
if (!onPostgres) console.log('several-backends: the external-DSN backend (CustomerUser2) needs PostgreSQL (TEST_DATABASE_URL); its tests are skipped on PGlite');
const onPg = onPostgres ? it : it.skip;

let main: TestDatabase;
let external: TestDatabase | null = null;
let relay: Relay | null = null;
let app: TestApp;

function overrides() {
  const dsn = external && new URL(external.url!);
  if (dsn) {
    dsn.host = `127.0.0.1:${relay!.port}`;
    dsn.password = '';
  }
  return {
    // Its Map has a field the others lack: the API offers the union.
    CustomerUser1: { Name: 'Second table', Params: { Table: 'customer_user_b' }, CacheTTL: 60, Map: [...DEFAULT_USER_MAP, ROOM_ROW] },
    ...(dsn && {
      CustomerUser2: {
        Name: 'External',
        // The secret comes apart from the DSN (as from CONFIG__CustomerUser2__Params__Password).
        Params: { Table: 'customer_user', DSN: dsn.toString(), Password: new URL(external!.url!).password || undefined },
        TimeoutMs: 1500,
      },
    }),
    CustomerUser3: { Name: 'Archive', Params: { Table: 'customer_user_c' }, ReadOnly: 1 },
  };
}

beforeAll(async () => {
  main = await createTestDatabase();
  await main.database.migrate();
  for (const table of ['customer_user_b', 'customer_user_c']) {
    await main.rawQuery(`CREATE TABLE ${table} (LIKE customer_user INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await main.rawQuery(`CREATE UNIQUE INDEX ${table}_login ON ${table} (lower(login))`);
  }
  await main.rawQuery(`ALTER TABLE customer_user_b ADD COLUMN room varchar(250)`);
  if (onPostgres) {
    external = await createTestDatabase();
    await external.database.migrate();
    const url = new URL(external.url!);
    relay = new Relay({ host: url.hostname, port: Number(url.port || 5432) });
    await relay.start();
  }
  app = await startTestApp({ database: main, overrides: overrides() });
  await addCustomer(app, { customerId: 'ACME' });
  await addCustomerUser(app, { login: 'carol', customerId: 'ACME' });
  await addCustomerUser(app, { login: 'alice', customerId: 'ACME' });
  await app.ok(CREATE, { input: input('bob'), backend: 'CustomerUser1' });
  await app.ok(CREATE, { input: input('dave'), backend: 'CustomerUser1' });
  if (EXTERNAL) await app.ok(CREATE, { input: input('erin'), backend: EXTERNAL });
  // Namesakes of earlier backends' users, written around the API: never listed, never resolved.
  await main.rawQuery(`INSERT INTO customer_user_b (login, email, customer_id, first_name, last_name, valid_id, create_by, change_by, create_time, change_time)
    VALUES ('ALICE', 'alice-b@acme.test', 'ACME', 'Shadow', 'B', 1, 1, 1, now(), now())`);
  await main.rawQuery(`INSERT INTO customer_user_c (login, email, customer_id, first_name, last_name, valid_id, create_by, change_by, create_time, change_time)
    VALUES ('frank', 'frank@acme.test', 'ACME', 'Frank', 'C', 1, 1, 1, now(), now()), ('bob', 'bob-c@acme.test', 'ACME', 'Shadow', 'C', 1, 1, 1, now(), now())`);
});
afterAll(async () => {
  await app?.close();
  await relay?.stop();
  await external?.dispose();
  await main?.dispose();
});

const all = onPostgres ? ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] : ['alice', 'bob', 'carol', 'dave', 'frank'];

describe('lookups', () => {
  it('resolve each login to the first backend holding it, with its source', async () => {
    const sourceOf = async (login: string) => ((await app.ok<User, unknown>(USER, { login })).customerUser)?.source;
    expect(await sourceOf('Alice')).toBe('CustomerUser');
    expect(await sourceOf('bob')).toBe('CustomerUser1');
    expect(await sourceOf('frank')).toBe('CustomerUser3');
    if (EXTERNAL) expect(await sourceOf('erin')).toBe(EXTERNAL);
  });
});

describe('merged searches', () => {
  it('list each login once, earlier backends winning, in the query order with login as tiebreak', async () => {
    const data = await app.ok<Users, unknown>(USERS, { search: '*' });
    expect(data.customerUsers.nodes.map((n) => n.login)).toEqual(all);
    expect(data.customerUsers.nodes.find((n) => n.login === 'bob')?.source).toBe('CustomerUser1');
    expect(data.customerUsers.totalCount).toBe(all.length);
    const byName = await app.ok<Users, unknown>(USERS, { orderBy: [{ field: 'FIRST_NAME', direction: 'DESC' }] });
    // Frank > First (all others), those by login.
    expect(byName.customerUsers.nodes.map((n) => n.login)).toEqual(['frank', ...all.filter((l) => l !== 'frank')]);
  });

  it('page exactly across backends: limit, offset, hasMore and totalCount', async () => {
    for (let offset = 0; offset <= all.length; offset += 1) {
      for (const limit of [1, 2, 4]) {
        const page = (await app.ok<Users, unknown>(USERS, { limit, offset })).customerUsers;
        expect(page.nodes.map((n) => n.login)).toEqual(all.slice(offset, offset + limit));
        expect(page.hasMore).toBe(offset + limit < all.length);
        expect(page.totalCount).toBe(all.length);
      }
    }
  });
});

describe('writes across backends', () => {
  it('create in a named backend; unknown backends are bad input, read-only ones refused naming them', async () => {
    const unknown = await app.request(CREATE, { input: input('gina'), backend: 'CustomerUser7' });
    expect(onlyError(unknown).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'backend' });
    const readOnly = await app.request(CREATE, { input: input('gina'), backend: 'CustomerUser3' });
    expect(onlyError(readOnly).extensions).toMatchObject({ code: 'READ_ONLY_BACKEND', backend: 'CustomerUser3' });
    const update = await app.request(UPDATE, { login: 'frank', input: { firstName: 'F' } });
    expect(onlyError(update).extensions).toMatchObject({ code: 'READ_ONLY_BACKEND', backend: 'CustomerUser3' });
    const created = await app.ok<{ createCustomerUser: { customerUser: { source: string } } }, unknown>(CREATE, { input: input('gina') });
    expect(created.createCustomerUser.customerUser.source).toBe('CustomerUser');
  });

  it('keep logins and emails unique across all backends (create and rename)', async () => {
    const login = await app.request(CREATE, { input: { ...input('BOB'), email: 'other@acme.test' } });
    expect(onlyError(login).extensions?.code).toBe('CONFLICT');
    const frank = await app.request(CREATE, { input: { ...input('frank2'), email: 'FRANK@acme.test' }, backend: 'CustomerUser1' });
    expect(onlyError(frank).extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    const rename = await app.request(UPDATE, { login: 'carol', input: { login: 'dave' } });
    expect(onlyError(rename).extensions?.code).toBe('CONFLICT');
    if (EXTERNAL) {
      const external = await app.request(CREATE, { input: input('erin'), backend: 'CustomerUser1' });
      expect(onlyError(external).extensions?.code).toBe('CONFLICT');
    }
  });

  it('offer the union of the Maps: a field one backend lacks is null there and refused on its writes', async () => {
    const ruth = await app.ok<{ createCustomerUser: { customerUser: { source: string } } }, unknown>(CREATE, { input: { ...input('ruth'), room: 'R1' }, backend: 'CustomerUser1' });
    expect(ruth.createCustomerUser.customerUser.source).toBe('CustomerUser1');
    const refused = await app.request(CREATE, { input: { ...input('rick'), room: 'R2' } });
    expect(onlyError(refused).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'room', reason: 'NOT_IN_BACKEND' });
    const rooms = await app.ok<{ a: { room: string | null }; r: { room: string | null } }, unknown>(`{ a: customerUser(login: "alice") { room } r: customerUser(login: "ruth") { room } }`);
    expect(rooms).toEqual({ a: { room: null }, r: { room: 'R1' } });
    const filtered = await app.ok<Users, unknown>(`{ customerUsers(filter: { room: "R*" }) { totalCount hasMore nodes { login source firstName } } }`);
    expect(filtered.customerUsers).toEqual({ totalCount: 1, hasMore: false, nodes: [{ login: 'ruth', source: 'CustomerUser1', firstName: 'First' }] });
    const byRoom = await app.ok<Users, unknown>(USERS, { orderBy: [{ field: 'ROOM', direction: 'ASC' }], limit: 2 });
    expect(byRoom.customerUsers.nodes.map((n) => n.login)).toEqual(['ruth', 'alice']); // empty rooms last, then by login
    await main.rawQuery(`DELETE FROM customer_user_b WHERE login = 'ruth'`);
    await app.ok(UPDATE, { login: 'bob', input: { phone: '2' } }); // a write to CustomerUser1 clears its cached searches
  });
});

describe('CacheTTL', () => {
  it('serves cached lookups and searches until a write through the server invalidates them', async () => {
    const firstName = async (login: string) => (await app.ok<User, unknown>(USER, { login })).customerUser?.firstName;
    const searched = async () => (await app.ok<Users, unknown>(USERS, { search: 'dave' })).customerUsers.nodes.map((n) => n.firstName);
    expect(await firstName('dave')).toBe('First');
    expect(await searched()).toEqual(['First']);
    await main.rawQuery(`UPDATE customer_user_b SET first_name = 'Edited' WHERE login = 'dave'`);
    expect(await firstName('dave')).toBe('First'); // a hit: the table says otherwise
    expect(await searched()).toEqual(['First']);
    await app.ok(UPDATE, { login: 'dave', input: { phone: '1' } });
    expect(await firstName('dave')).toBe('Edited');
    expect(await searched()).toEqual(['Edited']);
    // The uncached primary shows direct edits at once.
    await main.rawQuery(`UPDATE customer_user SET first_name = 'Direct' WHERE login = 'carol'`);
    expect(await firstName('carol')).toBe('Direct');
  });

  it('forgets both logins of a rename', async () => {
    await app.ok(UPDATE, { login: 'dave', input: { login: 'david' } });
    expect((await app.ok<User, unknown>(USER, { login: 'dave' })).customerUser).toBeNull();
    expect((await app.ok<User, unknown>(USER, { login: 'david' })).customerUser?.source).toBe('CustomerUser1');
    await app.ok(UPDATE, { login: 'david', input: { login: 'dave' } });
  });
});

describe('an unavailable external backend', () => {
  onPg('gives the other backends\' results with BACKEND_UNAVAILABLE, and is used again when back', async () => {
    const before = (await app.ok<Users, unknown>(USERS, { search: '*' })).customerUsers.nodes.map((n) => n.login);
    expect(before).toContain('erin');
    await relay!.stop();
    try {
      const search = (await app.request(USERS, { search: '*' })) as GraphQLResult<Users>;
      expect(search.data?.customerUsers.nodes.map((n) => n.login)).toEqual(before.filter((l) => l !== 'erin'));
      expect(onlyError(search).extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: EXTERNAL });
      // Not ruled out by the unavailable backend: no answer rather than a later namesake.
      const erin = (await app.request(USER, { login: 'erin' })) as GraphQLResult<User>;
      expect(erin.data?.customerUser).toBeNull();
      expect(onlyError(erin).extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: EXTERNAL });
      // Resolved before it: no error at all.
      expect((await app.request(USER, { login: 'alice' })).errors).toBeUndefined();
      const write = await app.request(CREATE, { input: input('ivan') });
      expect(onlyError(write).extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: EXTERNAL });
    } finally {
      await relay!.start();
    }
    const back = await app.ok<Users, unknown>(USERS, { search: '*' });
    expect(back.customerUsers.nodes.map((n) => n.login)).toContain('erin');
  });

  onPg('that does not answer counts as unavailable after its TimeoutMs', async () => {
    relay!.stall();
    try {
      const started = Date.now();
      const search = (await app.request(USERS, { search: '*' })) as GraphQLResult<Users>;
      expect(onlyError(search).extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: EXTERNAL });
      expect(search.data?.customerUsers.nodes.map((n) => n.login)).toContain('alice');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      relay!.resume();
    }
    expect((await app.request(USER, { login: 'erin' })).errors).toBeUndefined();
  });

  onPg('writes the external table last, audited in the server database', async () => {
    const updated = await app.ok<{ updateCustomerUser: { firstName: string } }, unknown>(UPDATE, { login: 'erin', input: { firstName: 'Erin' } });
    expect(updated.updateCustomerUser.firstName).toBe('Erin');
    expect(await external!.rawQuery(`SELECT first_name FROM customer_user WHERE login = 'erin'`)).toEqual([{ first_name: 'Erin' }]);
    const audit = await main.rawQuery<{ n: string }>(`SELECT count(*) AS n FROM customer_graphql.gql_audit_log WHERE entity_key = 'erin'`);
    expect(Number(audit[0]!.n)).toBe(2);
  });
});

describe('configuration errors', () => {
  const configError = (overrides: unknown) => {
    try {
      testConfig(overrides);
    } catch (error) {
      return (error as ConfigError).message;
    }
    throw new Error('expected a configuration error');
  };

  it('name the backend key of every bad setting', () => {
    expect(configError({ CustomerUser4: { Params: { Table: 'bad name' } } })).toContain('CustomerUser4.Params.Table');
    expect(configError({ CustomerUser4: { Params: { Table: 't', DSN: 'mysql://x' } } })).toContain('CustomerUser4.Params.DSN');
    expect(configError({ CustomerUser4: { Params: { Table: 't' }, TimeoutMs: 0 } })).toContain('CustomerUser4.TimeoutMs');
    expect(configError({ CustomerUser11: { Params: { Table: 't' } } })).toContain('CustomerUser11');
  });

  it('refuse Maps that disagree about a field, naming both keys', () => {
    const phoneAsInt = { Map: DEFAULT_USER_MAP.map((row) => (row[0] === 'UserPhone' ? row.map((v, i) => (i === 5 ? 'int' : v)) : row)) };
    const message = configError({ CustomerUser2: { Params: { Table: 't' }, ...phoneAsInt } });
    expect(message).toMatch(/CustomerUser2\.Map\[\d+\]\[5\]: UserPhone has type "int" here but "var" in CustomerUser\.Map\[\d+\]/);
  });

  it('refuse to start on a missing table or column of any backend, and on an unreachable DSN (password hidden)', async () => {
    const startError = async (extra: unknown) => {
      const error = await startTestApp({ database: main, overrides: extra }).then(
        async (started) => {
          await started.close();
          return null;
        },
        (e: unknown) => e as Error,
      );
      return error?.message ?? 'started';
    };
    expect(await startError({ CustomerUser5: { Params: { Table: 'no_such_table' } } })).toContain('CustomerUser5.Params.Table: table "no_such_table" does not exist');
    expect(await startError({ CustomerUser5: { Params: { Table: 'customer_user_c' }, Map: [...DEFAULT_USER_MAP, ROOM_ROW] } })).toMatch(/CustomerUser5\.Map\[\d+\]\[2\]: column "room" does not exist/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const message = await startError({ CustomerUser5: { Params: { Table: 'customer_user', DSN: `postgres://u@127.0.0.1:${port}/x`, Password: 'sekrit' }, TimeoutMs: 1000 } });
    expect(message).toContain('CustomerUser5.Params.DSN');
    expect(message).toContain(`postgres://u:***@127.0.0.1:${port}/x`);
    expect(message).not.toContain('sekrit');
  });
});
