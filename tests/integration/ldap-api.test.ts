import { Attribute, Change, Client } from 'ldapts';
import defaults from '../../config/defaults.json';
import { ConfigError } from '../../src/config/issues';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { ldapSettings, TEST_ENV } from '../support/ldap-directory';
import { SUFFIX, userDn, WRITER } from '../support/ldap-seed';
import { describeWithSlapd, startSlapd, type Slapd } from '../support/slapd';
import { onlyError, startTestApp, testConfig, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/*
 * LDAP through the GraphQL API: a directory selected with Module "LDAP" beside database tables —
 * CustomerUser (customer_user), CustomerUser1 (the test slapd, read-only) and CustomerUser2
 * (customer_user_b, whose Map has a `room` column as the directory's Map has `roomNumber`). A
 * second app puts a writable, cached directory first.
 */

const USER = `query User($login: String!) { customerUser(login: $login) { login source firstName fullName room customerId validity customerIds preferences { key value } } }`;
const USERS = `query Users($search: String, $limit: Int, $offset: Int, $includeInvalid: Boolean) {
  customerUsers(search: $search, limit: $limit, offset: $offset, includeInvalid: $includeInvalid, orderBy: [{ field: LOGIN }]) { totalCount hasMore nodes { login source validity } }
}`;
const CREATE = `mutation Create($input: CustomerUserCreateInput!, $backend: String) {
  createCustomerUser(input: $input, backend: $backend) { customerUser { login source } }
}`;
const UPDATE = `mutation Update($login: String!, $input: CustomerUserUpdateInput!) { updateCustomerUser(login: $login, input: $input) { login source room } }`;
const ADD_CUSTOMER = `mutation Add($login: String!, $customerId: String!) { addCustomerUserCustomer(login: $login, customerId: $customerId) { login customerIds } }`;
const SET_PREFERENCES = `mutation Prefs($login: String!, $preferences: [PreferenceInput!]!) {
  setCustomerUserPreferences(login: $login, preferences: $preferences) { login preferences { key value } }
}`;

type User = {
  customerUser: {
    login: string; source: string; firstName: string | null; fullName: string; room: string | null; customerId: string | null;
    validity: string; customerIds: string[]; preferences: { key: string; value: string }[];
  } | null;
};
type Users = { customerUsers: { totalCount: number; hasMore: boolean; nodes: { login: string; source: string; validity: string }[] } };

const DEFAULT_USER_MAP = defaults.CustomerUser.Map as unknown[][];
const ROOM_ROW = ['UserRoom', 'Room', 'room', 1, 0, 'var', '', 0, null, null];
const input = (login: string, email = `${login}@acme.test`) => ({ login, email, customerId: 'ACME', firstName: 'First', lastName: 'Last' });

/** The directory's valid users (the seed's one invalid user is hivalid), in the login order the API uses. */
const DIRECTORY_VALID = ['abaker', 'bcarter', 'cabbott', 'dmueller', 'eo(brien', 'f*star', 'g\\back', 'ijones', 'jdoe', 'jdoe2', 'kmulti', 'lwriter'];

/** Writes to the directory behind the server's back, as its own administrators would. */
async function setRoomInDirectory(slapd: Slapd, uid: string, room: string): Promise<void> {
  const client = new Client({ url: slapd.url });
  try {
    await client.bind(`cn=admin,${SUFFIX}`, 'secret');
    await client.modify(userDn(uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'roomNumber', values: [room] }) }));
  } finally {
    await client.unbind();
  }
}

async function roomInDirectory(slapd: Slapd, uid: string): Promise<string | undefined> {
  const client = new Client({ url: slapd.url });
  try {
    const { searchEntries } = await client.search(userDn(uid), { scope: 'base', attributes: ['roomNumber'] });
    return searchEntries[0]?.roomNumber as string | undefined;
  } finally {
    await client.unbind();
  }
}

describeWithSlapd('LDAP through the API', () => {
  let slapd: Slapd;
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    slapd = await startSlapd();
    database = await createTestDatabase();
    await database.database.migrate();
    await database.rawQuery(`CREATE TABLE customer_user_b (LIKE customer_user INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await database.rawQuery(`ALTER TABLE customer_user_b ADD COLUMN room varchar(250)`);
    await database.rawQuery(`CREATE UNIQUE INDEX customer_user_b_login ON customer_user_b (lower(login))`);
    app = await startTestApp({
      database,
      env: TEST_ENV,
      overrides: {
        CustomerUser1: ldapSettings(slapd, { Name: 'Directory', CustomerUserEmailUniqCheck: 1, CustomerUserExcludePrimaryCustomerID: 1 }),
        CustomerUser2: { Name: 'Second table', Params: { Table: 'customer_user_b' }, Map: [...DEFAULT_USER_MAP, ROOM_ROW] },
      },
    });
    await addCustomer(app, { customerId: 'ACME' });
    await addCustomer(app, { customerId: 'GLOBEX' });
    // jdoe is in the directory too: the primary table's wins.
    await addCustomerUser(app, { login: 'zed', customerId: 'ACME' });
    // Namesakes of directory users, written around the API (through it, the login is taken): the
    // primary table's jdoe wins over the directory's, the directory's abaker over the second table's.
    await database.rawQuery(`INSERT INTO customer_user (login, email, customer_id, first_name, last_name, valid_id, create_by, change_by, create_time, change_time)
      VALUES ('jdoe', 'jdoe@acme.test', 'ACME', 'Table John', 'Doe', 1, 1, 1, now(), now())`);
    await database.rawQuery(`INSERT INTO customer_user_b (login, email, customer_id, first_name, last_name, room, valid_id, create_by, change_by, create_time, change_time)
      VALUES ('abaker', 'shadow@acme.test', 'ACME', 'Shadow', 'B', 'S1', 1, 1, 1, now(), now()),
             ('yvonne', 'yvonne@acme.test', 'ACME', 'Yvonne', 'B', 'Y1', 1, 1, 1, now(), now())`);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
    await slapd?.dispose();
  });

  it('resolves a login to the first backend holding it; a directory user has the same typed room field', async () => {
    const alice = (await app.ok<User, { login: string }>(USER, { login: 'ABaker' })).customerUser;
    expect(alice).toMatchObject({ login: 'abaker', source: 'CustomerUser1', firstName: 'Alice', fullName: 'Alice Baker', room: 'B2.14', customerId: 'ACME', validity: 'VALID' });
    expect((await app.ok<User, { login: string }>(USER, { login: 'jdoe' })).customerUser).toMatchObject({ source: 'CustomerUser', firstName: 'Table John' });
    expect((await app.ok<User, { login: string }>(USER, { login: 'yvonne' })).customerUser).toMatchObject({ source: 'CustomerUser2', room: 'Y1' });
    expect((await app.ok<User, { login: string }>(USER, { login: 'hivalid' })).customerUser).toMatchObject({ source: 'CustomerUser1', validity: 'INVALID' });
    expect((await app.ok<User, { login: string }>(USER, { login: 'nobody' })).customerUser).toBeNull();
  });

  it('searches all three backends, earlier ones winning for a login, pages exact across them', async () => {
    const all = (await app.ok<Users, { search: string }>(USERS, { search: '*' })).customerUsers;
    const expected = [...new Set([...DIRECTORY_VALID, 'jdoe', 'zed', 'yvonne'])];
    expect(all.nodes.map((n) => n.login).sort()).toEqual([...expected].sort());
    expect(all.totalCount).toBe(expected.length);
    expect(all.nodes.find((n) => n.login === 'jdoe')!.source).toBe('CustomerUser');
    expect(all.nodes.find((n) => n.login === 'abaker')!.source).toBe('CustomerUser1');
    const pages: string[] = [];
    for (let offset = 0; offset < expected.length; offset += 4) {
      const page = (await app.ok<Users, { search: string; limit: number; offset: number }>(USERS, { search: '*', limit: 4, offset })).customerUsers;
      expect(page.hasMore).toBe(offset + 4 < expected.length);
      expect(page.totalCount).toBe(expected.length);
      pages.push(...page.nodes.map((n) => n.login));
    }
    expect(pages).toEqual(all.nodes.map((n) => n.login));
    const withInvalid = (await app.ok<Users, { search: string; includeInvalid: boolean }>(USERS, { search: 'hival', includeInvalid: true })).customerUsers;
    expect(withInvalid.nodes).toEqual([{ login: 'hivalid', source: 'CustomerUser1', validity: 'INVALID' }]);
    expect((await app.ok<Users, { search: string }>(USERS, { search: 'hival' })).customerUsers.nodes).toEqual([]);
  });

  it("applies OTOBO's LDAP grammar: + splits terms, each ORed over the search attributes, the terms ANDed", async () => {
    const search = async (text: string) => (await app.ok<Users, { search: string }>(USERS, { search: text })).customerUsers.nodes.map((n) => `${n.login}@${n.source}`);
    expect(await search('bcarter+bob')).toEqual(['bcarter@CustomerUser1']);
    expect(await search('bcarter+alice')).toEqual([]);
    expect(await search('carol.abbott')).toEqual(['cabbott@CustomerUser1']);
    const byEmail = await app.ok<Users, { email: string }>(`query E($email: String!) { customerUsers(email: $email) { totalCount hasMore nodes { login source validity } } }`, { email: 'KIM.second@example.org' });
    expect(byEmail.customerUsers.nodes).toEqual([{ login: 'kmulti', source: 'CustomerUser1', validity: 'VALID' }]);
    // Input is escaped: filter syntax in a term matches literally, i.e. nothing here.
    expect(await search('*)(uid=*')).toEqual([]);
    expect(await search('x)(|(uid=*')).toEqual([]);
    expect((await app.ok<User, { login: string }>(USER, { login: '*' })).customerUser).toBeNull();
    expect((await app.ok<User, { login: string }>(USER, { login: 'f*star' })).customerUser).toMatchObject({ login: 'f*star', source: 'CustomerUser1' });
  });

  it('refuses writes to the read-only directory naming it, and keeps logins and emails unique across it', async () => {
    const update = await app.request(UPDATE, { login: 'abaker', input: { room: 'X' } });
    expect(onlyError(update).extensions).toMatchObject({ code: 'READ_ONLY_BACKEND', backend: 'CustomerUser1' });
    const create = await app.request(CREATE, { input: input('newbie'), backend: 'CustomerUser1' });
    expect(onlyError(create).extensions).toMatchObject({ code: 'READ_ONLY_BACKEND', backend: 'CustomerUser1' });
    const login = await app.request(CREATE, { input: input('BCarter') });
    expect(onlyError(login).extensions).toMatchObject({ code: 'CONFLICT', field: 'login' });
    const email = await app.request(CREATE, { input: input('carrie', 'Carol.Abbott@Globex.example') });
    expect(onlyError(email).extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    expect((await app.ok<User, { login: string }>(USER, { login: 'abaker' })).customerUser!.room).toBe('B2.14');
  });

  it("keeps a directory user's relations and preferences in the database, keyed by login; its backend's settings apply", async () => {
    // The directory has CustomerUserExcludePrimaryCustomerID 1, the primary table not.
    const added = await app.ok<{ addCustomerUserCustomer: { customerIds: string[] } }, { login: string; customerId: string }>(ADD_CUSTOMER, { login: 'abaker', customerId: 'GLOBEX' });
    expect(added.addCustomerUserCustomer.customerIds).toEqual(['GLOBEX']);
    await app.ok(ADD_CUSTOMER, { login: 'zed', customerId: 'GLOBEX' });
    expect((await app.ok<User, { login: string }>(USER, { login: 'zed' })).customerUser!.customerIds).toEqual(['ACME', 'GLOBEX']);
    await app.ok(SET_PREFERENCES, { login: 'abaker', preferences: [{ key: 'UserLanguage', value: 'de' }] });
    const alice = (await app.ok<User, { login: string }>(USER, { login: 'abaker' })).customerUser!;
    expect(alice.customerIds).toEqual(['GLOBEX']);
    expect(alice.preferences).toEqual([{ key: 'UserLanguage', value: 'de' }]);
    const globex = await app.ok<{ customer: { users: { nodes: { login: string; source: string }[] }; extraUsers: { login: string; source: string }[] } }, { id: string }>(
      `query C($id: String!) { customer(customerId: $id) { users(orderBy: [{ field: LOGIN }]) { nodes { login source } } extraUsers { login source } } }`,
      { id: 'GLOBEX' },
    );
    expect(globex.customer.users.nodes).toEqual([{ login: 'cabbott', source: 'CustomerUser1' }, { login: 'dmueller', source: 'CustomerUser1' }]);
    expect(globex.customer.extraUsers).toEqual([{ login: 'abaker', source: 'CustomerUser1' }, { login: 'zed', source: 'CustomerUser' }]);
    const unknown = await app.request(ADD_CUSTOMER, { login: 'nobody', customerId: 'GLOBEX' });
    expect(onlyError(unknown).extensions?.code).toBe('NOT_FOUND');
  });

  it('answers with the other backends and BACKEND_UNAVAILABLE while slapd is down or hung, and uses it again when back', async () => {
    await slapd.stop();
    try {
      const search = await app.request<Users, { search: string }>(USERS, { search: '*' });
      expect(onlyError(search).extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1' });
      expect(search.data!.customerUsers.nodes.map((n) => n.login)).toEqual(expect.arrayContaining(['jdoe', 'zed', 'yvonne']));
      expect(search.data!.customerUsers.nodes.some((n) => n.source === 'CustomerUser1')).toBe(false);
      const lookup = await app.request<User, { login: string }>(USER, { login: 'bcarter' });
      expect(onlyError(lookup).extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1' });
      expect((await app.ok<User, { login: string }>(USER, { login: 'jdoe' })).customerUser!.source).toBe('CustomerUser');
    } finally {
      await slapd.start();
    }
    expect((await app.ok<User, { login: string }>(USER, { login: 'bcarter' })).customerUser!.source).toBe('CustomerUser1');

    slapd.pause();
    try {
      const started = Date.now();
      const hung = await app.request<Users, { search: string }>(USERS, { search: '*' });
      expect(onlyError(hung).extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1' });
      expect(Date.now() - started).toBeLessThan(5000); // Params.TimeoutMs is 2000 here
    } finally {
      slapd.resume();
    }
    const back = (await app.ok<Users, { search: string }>(USERS, { search: 'bcarter' })).customerUsers.nodes;
    expect(back).toEqual([{ login: 'bcarter', source: 'CustomerUser1', validity: 'VALID' }]);
  });
});

describeWithSlapd('LDAP as the first backend, writable and cached', () => {
  let slapd: Slapd;
  let app: TestApp;
  const writerEnv = { ...TEST_ENV, LDAP_WRITER_PW: WRITER.password };

  beforeAll(async () => {
    slapd = await startSlapd();
    app = await startTestApp({
      env: writerEnv,
      overrides: {
        CustomerUser: ldapSettings(slapd, { ReadOnly: 0, CacheTTL: 60, Params: { UserDN: WRITER.dn, UserPwEnv: 'LDAP_WRITER_PW' } }),
        CustomerUser1: { Name: 'Database Backend', Params: { Table: 'customer_user' } },
      },
    });
    await addCustomer(app, { customerId: 'ACME' });
  });
  afterAll(async () => {
    await app?.close();
    await slapd?.dispose();
  });

  it('serves lookups and searches from its cache until a write through the server invalidates them', async () => {
    expect((await app.ok<User, { login: string }>(USER, { login: 'lwriter' })).customerUser).toMatchObject({ source: 'CustomerUser', room: 'W1' });
    expect((await app.ok<Users, { search: string }>(USERS, { search: 'lwriter' })).customerUsers.nodes).toHaveLength(1);
    await setRoomInDirectory(slapd, 'lwriter', 'W7');
    // Cached: the change behind the server's back is not seen within CacheTTL.
    expect((await app.ok<User, { login: string }>(USER, { login: 'lwriter' })).customerUser!.room).toBe('W1');
    const updated = await app.ok<{ updateCustomerUser: { room: string } }, { login: string; input: { room: string } }>(UPDATE, { login: 'lwriter', input: { room: 'W2' } });
    expect(updated.updateCustomerUser).toMatchObject({ login: 'lwriter', source: 'CustomerUser', room: 'W2' });
    expect(await roomInDirectory(slapd, 'lwriter')).toBe('W2');
    expect((await app.ok<User, { login: string }>(USER, { login: 'lwriter' })).customerUser!.room).toBe('W2');
    await app.ok(USERS, { search: 'lwriter' }); // the write cleared the searches; cache this one again
    // With slapd down, what is cached still answers.
    await slapd.stop();
    try {
      expect((await app.ok<User, { login: string }>(USER, { login: 'lwriter' })).customerUser!.room).toBe('W2');
      expect((await app.ok<Users, { search: string }>(USERS, { search: 'lwriter' })).customerUsers.nodes).toEqual([{ login: 'lwriter', source: 'CustomerUser', validity: 'VALID' }]);
    } finally {
      await slapd.start();
    }
  });

  it('creates in the first backend that can create; the directory refuses creates naming the reason', async () => {
    const created = await app.ok<{ createCustomerUser: { customerUser: { source: string } } }, { input: ReturnType<typeof input> }>(CREATE, { input: input('tabled') });
    expect(created.createCustomerUser.customerUser.source).toBe('CustomerUser1');
    const refused = await app.request(CREATE, { input: input('directed'), backend: 'CustomerUser' });
    expect(onlyError(refused).extensions).toMatchObject({ code: 'READ_ONLY_BACKEND', backend: 'CustomerUser', reason: 'CREATE_UNSUPPORTED' });
  });
});

describeWithSlapd('LDAP backend settings at startup', () => {
  const configError = (overrides: unknown): string[] => {
    try {
      testConfig(overrides);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw error;
    }
    throw new Error('expected a ConfigError');
  };
  const fakeSlapd = { url: 'ldap://127.0.0.1:1' } as Slapd;

  it('names the key of every bad setting', () => {
    expect(configError({ CustomerUser1: ldapSettings(fakeSlapd, { Params: { BaseDN: '' } }) })).toContain('CustomerUser1.Params.BaseDN: BaseDN is required');
    expect(configError({ CustomerUser1: ldapSettings(fakeSlapd, { CustomerValid: 'valid_id' }) }).join('\n')).toMatch(/^CustomerUser1: .*CustomerValid/m);
    expect(configError({ CustomerUser2: ldapSettings(fakeSlapd, { Params: { UserPw: 'secret' } }) }).join('\n')).toMatch(/^CustomerUser2\.Params\.UserPw: a password is never written into the config/m);
    expect(configError({ CustomerUser1: ldapSettings(fakeSlapd, { CustomerKey: 'cn' }) })).toContain('CustomerUser1.CustomerKey: must be "uid", the storage column of the UserLogin Map row');
    expect(configError({ CustomerUser1: { Module: 'LDAPv3' } })).toContain('CustomerUser1.Module: Module must be "DB" or "LDAP" (or their Kernel::System::CustomerUser:: names)');
  });

  it('refuses to start when the bind password is missing, naming the key; the directory itself is reached on first use', async () => {
    const overrides = { CustomerUser1: ldapSettings(fakeSlapd) };
    await expect(startTestApp({ overrides })).rejects.toThrow('CustomerUser1.Params.UserPwEnv: environment variable LDAP_READER_PW is not set');
    const app = await startTestApp({ overrides, env: TEST_ENV });
    try {
      const lookup = await app.request<User, { login: string }>(USER, { login: 'anyone' });
      expect(onlyError(lookup).extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1' });
    } finally {
      await app.close();
    }
  });
});
