import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import defaults from '../../config/defaults.json';
import { ConfigError, formatConfigPath } from '../../src/config/issues';
import { deepMerge, loadConfig } from '../../src/config/load';
import type { AppConfig, DbUserBackendConfig } from '../../src/config/semantics';

// Expected defaults are taken from OTOBO's Kernel/Config/Defaults.pm (CustomerUser, CustomerCompany), not from
// defaults.json, except CustomerUserSearchListLimit, which is deliberately 1000 instead of OTOBO's 250.

const DEFAULT_USER_MAP = defaults.CustomerUser.Map as unknown[][];

/** A default-Map row as a tuple, for building variations. */
const userRow = (attribute: string): unknown[] => {
  const row = DEFAULT_USER_MAP.find((r) => r[0] === attribute);
  if (!row) throw new Error(`no default row ${attribute}`);
  return [...row];
};

const load = (overrides?: unknown, env: Record<string, string> = {}): AppConfig =>
  loadConfig({ localFile: null, env, overrides });

/** Loads with the overrides and returns the ConfigError; fails the test if loading succeeds. */
function configError(overrides: unknown, env: Record<string, string> = {}): ConfigError {
  try {
    load(overrides, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

/** The issue lines of a ConfigError message (without the header, without the indentation). */
const issueLines = (error: ConfigError): string[] => {
  const [header, ...lines] = error.message.split('\n');
  expect(header).toBe('Invalid configuration:');
  for (const line of lines) expect(line.startsWith('  ')).toBe(true);
  return lines.map((line) => line.trim());
};

let tempDir: string;
beforeAll(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'cug-config-test-'));
});
afterAll(() => {
  rmSync(tempDir, { recursive: true, force: true });
});

let fileCounter = 0;
function writeJson(content: unknown): string {
  const file = join(tempDir, `local-${++fileCounter}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('defaults (no local file, no environment)', () => {
  const config = load();
  const user = config.CustomerUser as DbUserBackendConfig;
  const company = config.CustomerCompany;

  test('the CustomerUser Map is OTOBO\'s 16 default rows, in order', () => {
    // [attribute, label, storage, show, required, type] as in otobo-behaviour.md §2.2
    const expected: [string, string, string, number, boolean, string][] = [
      ['UserTitle', 'Title or salutation', 'title', 1, false, 'var'],
      ['UserFirstname', 'Firstname', 'first_name', 1, true, 'var'],
      ['UserLastname', 'Lastname', 'last_name', 1, true, 'var'],
      ['UserLogin', 'Username', 'login', 1, true, 'var'],
      ['UserPassword', 'Password', 'pw', 0, false, 'var'],
      ['UserEmail', 'Email', 'email', 1, true, 'var'],
      ['UserCustomerID', 'CustomerID', 'customer_id', 0, true, 'var'],
      ['UserPhone', 'Phone', 'phone', 1, false, 'var'],
      ['UserFax', 'Fax', 'fax', 1, false, 'var'],
      ['UserMobile', 'Mobile', 'mobile', 1, false, 'var'],
      ['UserStreet', 'Street', 'street', 1, false, 'var'],
      ['UserZip', 'Zip', 'zip', 1, false, 'var'],
      ['UserCity', 'City', 'city', 1, false, 'var'],
      ['UserCountry', 'Country', 'country', 1, false, 'var'],
      ['UserComment', 'Comment', 'comments', 1, false, 'var'],
      ['ValidID', 'Valid', 'valid_id', 0, true, 'int'],
    ];
    expect(user.fields.map((f) => [f.attribute, f.label, f.storage, f.show, f.required, f.type])).toEqual(expected);
    for (const field of user.fields) {
      expect(field.readonly).toBe(false);
      expect(field.link).toBe('');
      expect(field.linkTarget).toBeNull();
      expect(field.linkClass).toBeNull();
    }
  });

  test('required rows are exactly UserFirstname, UserLastname, UserLogin, UserEmail, UserCustomerID, ValidID', () => {
    expect(user.fields.filter((f) => f.required).map((f) => f.attribute)).toEqual([
      'UserFirstname',
      'UserLastname',
      'UserLogin',
      'UserEmail',
      'UserCustomerID',
      'ValidID',
    ]);
    expect(user.fields.filter((f) => f.type === 'int').map((f) => f.attribute)).toEqual(['ValidID']);
  });

  test('CustomerUser fields get their GraphQL names and roles', () => {
    expect(user.fields.map((f) => [f.attribute, f.graphqlName, f.role])).toEqual([
      ['UserTitle', 'title', 'plain'],
      ['UserFirstname', 'firstName', 'plain'],
      ['UserLastname', 'lastName', 'plain'],
      ['UserLogin', 'login', 'key'],
      ['UserPassword', 'password', 'password'],
      ['UserEmail', 'email', 'email'],
      ['UserCustomerID', 'customerId', 'customerId'],
      ['UserPhone', 'phone', 'plain'],
      ['UserFax', 'fax', 'plain'],
      ['UserMobile', 'mobile', 'plain'],
      ['UserStreet', 'street', 'plain'],
      ['UserZip', 'zip', 'plain'],
      ['UserCity', 'city', 'plain'],
      ['UserCountry', 'country', 'plain'],
      ['UserComment', 'comment', 'plain'],
      ['ValidID', 'validity', 'validity'],
    ]);
  });

  test('CustomerUser backend settings', () => {
    expect(user.id).toBe('CustomerUser');
    expect(user.Name).toBe('Database Backend');
    expect(user.Module).toBe('DB');
    expect(user.Params).toEqual({ Table: 'customer_user', SearchCaseSensitive: false });
    expect(user.CustomerKey).toBe('login');
    expect(user.CustomerID).toBe('customer_id');
    expect(user.CustomerValid).toBe('valid_id');
    expect(user.CustomerUserListFields).toEqual(['first_name', 'last_name', 'email']);
    expect(user.CustomerUserSearchFields).toEqual(['login', 'first_name', 'last_name', 'customer_id']);
    expect(user.CustomerUserSearchPrefix).toBe('*');
    expect(user.CustomerUserSearchSuffix).toBe('*');
    expect(user.CustomerUserPostMasterSearchFields).toEqual(['email']);
    expect(user.CustomerUserNameFields).toEqual(['title', 'first_name', 'last_name']);
    expect(user.CustomerUserNameFieldsJoin).toBe(' ');
    expect(user.CustomerUserEmailUniqCheck).toBe(true);
    expect(user.CustomerUserExcludePrimaryCustomerID).toBe(false);
    expect(user.CustomerCompanySupport).toBe(true);
    expect(user.CacheTTL).toBe(0);
    expect(user.ReadOnly).toBe(false);
  });

  test('CustomerUserSearchListLimit is 1000 (deliberately not OTOBO\'s 250)', () => {
    expect(user.CustomerUserSearchListLimit).toBe(1000);
  });

  test('the raw Map is not part of the finished backend config', () => {
    expect('Map' in user).toBe(false);
    expect('Map' in company).toBe(false);
  });

  test('the CustomerCompany Map is OTOBO\'s 9 default rows, in order', () => {
    expect(company.fields.map((f) => [f.attribute, f.label, f.storage, f.show, f.required, f.type, f.graphqlName, f.role])).toEqual([
      ['CustomerID', 'CustomerID', 'customer_id', 0, true, 'var', 'customerId', 'key'],
      ['CustomerCompanyName', 'Customer', 'name', 1, true, 'var', 'name', 'name'],
      ['CustomerCompanyStreet', 'Street', 'street', 1, false, 'var', 'street', 'plain'],
      ['CustomerCompanyZIP', 'Zip', 'zip', 1, false, 'var', 'zip', 'plain'],
      ['CustomerCompanyCity', 'City', 'city', 1, false, 'var', 'city', 'plain'],
      ['CustomerCompanyCountry', 'Country', 'country', 1, false, 'var', 'country', 'plain'],
      ['CustomerCompanyURL', 'URL', 'url', 1, false, 'var', 'url', 'plain'],
      ['CustomerCompanyComment', 'Comment', 'comments', 1, false, 'var', 'comment', 'plain'],
      ['ValidID', 'Valid', 'valid_id', 0, true, 'int', 'validity', 'validity'],
    ]);
    expect(company.fields.find((f) => f.attribute === 'CustomerCompanyURL')?.link).toBe('[% Data.CustomerCompanyURL | html %]');
  });

  test('CustomerCompany backend settings', () => {
    expect(company.id).toBe('CustomerCompany');
    expect(company.Name).toBe('Database Backend');
    expect(company.Module).toBe('DB');
    expect(company.Params).toEqual({ Table: 'customer_company', SearchCaseSensitive: false });
    expect(company.CustomerCompanyKey).toBe('customer_id');
    expect(company.CustomerCompanyValid).toBe('valid_id');
    expect(company.CustomerCompanyListFields).toEqual(['customer_id', 'name']);
    expect(company.CustomerCompanySearchFields).toEqual(['customer_id', 'name']);
    expect(company.CustomerCompanySearchPrefix).toBe('*');
    expect(company.CustomerCompanySearchSuffix).toBe('*');
    expect(company.CustomerCompanySearchListLimit).toBe(250);
    expect(company.CacheTTL).toBe(86400);
    expect(company.ReadOnly).toBe(false);
  });

  test('email check defaults (otobo-behaviour.md §7.5)', () => {
    expect(config.CheckEmailAddresses).toBe(true);
    expect(config.CheckEmailValidAddress).toBe('^(root@localhost|admin@localhost)$');
    expect(config.CheckEmailInvalidAddress).toBe('@(example)\\.(..|...)$');
  });

  test('server section defaults', () => {
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 4000,
      graphqlPath: '/graphql',
      graphiql: true,
      introspection: true,
      cors: { origins: [], credentials: false },
      maxBodyBytes: 1048576,
      shutdownGraceMs: 10000,
    });
    expect(config.database).toMatchObject({ statementTimeoutMs: 15000, connectTimeoutMs: 2000, startupWaitMs: 0 });
    expect(config.database.url).toBeNull();
    expect(config.log.level).toBe('info');
    expect(config.passwords.generatedLength).toBe(12);
  });

  test('loading does not mutate the shipped defaults', () => {
    load({ CustomerUser: { CacheTTL: 1, Map: [...DEFAULT_USER_MAP, ['UserRoom', 'Room', 'room', 1, 0, 'var']] } });
    expect(defaults.CustomerUser.CacheTTL).toBe(0);
    expect(defaults.CustomerUser.Map).toHaveLength(16);
    expect(load().CustomerUser.fields).toHaveLength(16);
  });

  test('the Perl module name of the backend is accepted as "DB"', () => {
    const config2 = load({
      CustomerUser: { Module: 'Kernel::System::CustomerUser::DB' },
      CustomerCompany: { Module: 'Kernel::System::CustomerCompany::DB' },
    });
    expect(config2.CustomerUser.Module).toBe('DB');
    expect(config2.CustomerCompany.Module).toBe('DB');
  });
});

describe('sources and precedence', () => {
  test('a local JSON file overrides the defaults; keys it does not name keep their defaults', () => {
    const file = writeJson({ server: { port: 5001 }, CustomerUser: { CacheTTL: 60 } });
    const config = loadConfig({ localFile: file, env: {} });
    expect(config.server.port).toBe(5001);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.CustomerUser.CacheTTL).toBe(60);
    expect(config.CustomerUser.CustomerUserSearchListLimit).toBe(1000);
    expect(config.CustomerUser.fields).toHaveLength(16);
  });

  test('the environment overrides the file, overrides win over the environment', () => {
    const file = writeJson({ server: { port: 5001, host: '10.0.0.1' }, log: { level: 'warn' } });
    const envOnly = loadConfig({ localFile: file, env: { PORT: '5002' } });
    expect(envOnly.server.port).toBe(5002);
    expect(envOnly.server.host).toBe('10.0.0.1');
    expect(envOnly.log.level).toBe('warn');

    const all = loadConfig({ localFile: file, env: { PORT: '5002', LOG_LEVEL: 'debug' }, overrides: { server: { port: 5003 } } });
    expect(all.server.port).toBe(5003);
    expect(all.server.host).toBe('10.0.0.1');
    expect(all.log.level).toBe('debug');
  });

  test('environment shortcuts that take text keep it as text, even when it looks like JSON', () => {
    expect(load(undefined, { HOST: '1' }).server.host).toBe('1');
    expect(load(undefined, { PGLITE_DIR: 'null' }).database.pgliteDir).toBe('null');
  });

  test('environment shortcuts: DATABASE_URL, PORT (as a number), LOG_LEVEL, PGLITE_DIR, HOST', () => {
    const config = load(undefined, {
      DATABASE_URL: 'postgres://otobo:secret@db.internal:5432/otobo',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      PGLITE_DIR: 'memory://',
      HOST: '0.0.0.0',
    });
    expect(config.database.url).toBe('postgres://otobo:secret@db.internal:5432/otobo');
    expect(config.server.port).toBe(8080);
    expect(config.log.level).toBe('debug');
    expect(config.database.pgliteDir).toBe('memory://');
    expect(config.server.host).toBe('0.0.0.0');
  });

  test('CONFIG__section__key sets nested keys, with JSON-parsed values', () => {
    const config = load(undefined, {
      CONFIG__CustomerUser__CustomerUserSearchListLimit: '500',
      CONFIG__CustomerUser__CustomerUserSearchFields: '["login","email"]',
      CONFIG__CustomerUser__Params__SearchCaseSensitive: '1',
      CONFIG__server__graphiql: 'false',
    });
    expect(config.CustomerUser.CustomerUserSearchListLimit).toBe(500);
    expect(config.CustomerUser.CustomerUserSearchFields).toEqual(['login', 'email']);
    expect(config.CustomerUser.Params).toEqual({ Table: 'customer_user', SearchCaseSensitive: true });
    expect(config.server.graphiql).toBe(false);
    // neighbours keep their defaults
    expect(config.CustomerUser.CacheTTL).toBe(0);
  });

  test('CONFIG__ values that are not JSON stay plain strings', () => {
    const config = load(undefined, { CONFIG__CustomerUser__Name: 'Main customers', CONFIG__server__graphqlPath: '/api/graphql' });
    expect(config.CustomerUser.Name).toBe('Main customers');
    expect(config.server.graphqlPath).toBe('/api/graphql');
  });

  test('unrelated environment variables are ignored', () => {
    const config = load(undefined, { PATH: '/usr/bin', HOME: '/root', CONFIG__: 'x', CONFIG____x: '1' });
    expect(config.server.port).toBe(4000);
  });

  test('CONFIG_FILE names the local file', () => {
    const file = writeJson({ CustomerUser: { CustomerUserSearchListLimit: 42 } });
    const config = loadConfig({ env: { CONFIG_FILE: file } });
    expect(config.CustomerUser.CustomerUserSearchListLimit).toBe(42);
  });

  test('a missing explicit file is an error naming the path', () => {
    const missing = join(tempDir, 'does-not-exist.json');
    expect(() => loadConfig({ localFile: missing, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ localFile: missing, env: {} })).toThrow(`config file ${missing} does not exist`);
    expect(() => loadConfig({ env: { CONFIG_FILE: missing } })).toThrow(`config file ${missing} does not exist`);
  });

  test('a relative file path is reported as an absolute path', () => {
    expect(() => loadConfig({ localFile: 'no/such/cug-config.json', env: {} })).toThrow(
      `config file ${resolve('no/such/cug-config.json')} does not exist`,
    );
  });

  test('invalid JSON in the local file is an error naming the path', () => {
    const file = writeJson('{ "server": { "port": 5001, } ');
    let caught: unknown;
    try {
      loadConfig({ localFile: file, env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain(`config file ${file} is not valid JSON`);
  });
});

describe('merging', () => {
  test('a Map in the local file replaces the default Map entirely (arrays replace)', () => {
    const file = writeJson({
      CustomerUser: {
        CustomerUserListFields: ['email'],
        CustomerUserSearchFields: ['login'],
        CustomerUserNameFields: ['login'],
        Map: [
          ['UserLogin', 'Login', 'login', 1, 1, 'var', '', 0, null, null],
          ['UserEmail', 'Email', 'email', 1, 1, 'var', '', 0, null, null],
          ['UserCustomerID', 'CustomerID', 'customer_id', 0, 1, 'var', '', 0, null, null],
          ['ValidID', 'Valid', 'valid_id', 0, 1, 'int', '', 0, null, null],
        ],
      },
    });
    const config = loadConfig({ localFile: file, env: {} });
    expect(config.CustomerUser.fields.map((f) => f.attribute)).toEqual(['UserLogin', 'UserEmail', 'UserCustomerID', 'ValidID']);
    expect(config.CustomerUser.CustomerUserSearchFields).toEqual(['login']);
    // objects merge: keys not named keep their defaults
    expect(config.CustomerUser.CustomerUserPostMasterSearchFields).toEqual(['email']);
    expect((config.CustomerUser as DbUserBackendConfig).Params.Table).toBe('customer_user');
    expect(config.CustomerCompany.fields).toHaveLength(9);
  });

  test('a shorter Map does not keep default rows past its end', () => {
    const config = load({
      CustomerUser: {
        CustomerUserListFields: [],
        CustomerUserSearchFields: ['login'],
        CustomerUserNameFields: ['login'],
        CustomerValid: null,
        Map: [userRow('UserLogin'), userRow('UserEmail'), userRow('UserCustomerID')],
      },
    });
    expect(config.CustomerUser.fields.map((f) => f.attribute)).toEqual(['UserLogin', 'UserEmail', 'UserCustomerID']);
  });

  test('deepMerge: objects merge key by key, arrays and scalars replace', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2, 3] }, d: 'x' }, { a: { c: [9] }, e: 2 })).toEqual({ a: { b: 1, c: [9] }, d: 'x', e: 2 });
    expect(deepMerge({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
    expect(deepMerge([1, 2], [3])).toEqual([3]);
    expect(deepMerge({ a: 1 }, 5)).toBe(5);
  });

  test('deepMerge does not modify its inputs', () => {
    const base = { a: { b: 1 } };
    const override = { a: { c: 2 } };
    deepMerge(base, override);
    expect(base).toEqual({ a: { b: 1 } });
    expect(override).toEqual({ a: { c: 2 } });
  });
});

describe('Map row forms', () => {
  const KEYS = ['attribute', 'label', 'storage', 'show', 'required', 'type', 'link', 'readonly', 'linkTarget', 'linkClass'] as const;
  const asObject = (row: unknown[]) => Object.fromEntries(KEYS.map((key, i) => [key, row[i]]));

  test('rows as named objects give the same field definitions as the same rows as tuples', () => {
    const fromTuples = load().CustomerUser.fields;
    const fromObjects = load({ CustomerUser: { Map: DEFAULT_USER_MAP.map(asObject) } }).CustomerUser.fields;
    expect(fromObjects).toEqual(fromTuples);
    expect(fromObjects).toHaveLength(16);
  });

  test('tuple rows accept booleans for the flag positions, like object rows', () => {
    const config = load({ CustomerUser: { Map: [...DEFAULT_USER_MAP, ['UserRoom', 'Room', 'room', true, true, 'var', '', true, null, null]] } });
    expect(config.CustomerUser.fields[16]).toMatchObject({ show: 1, required: true, readonly: true });
  });

  test('tuple and object forms can be mixed', () => {
    const map = DEFAULT_USER_MAP.map((row, i) => (i % 2 === 0 ? asObject(row) : row));
    expect(load({ CustomerUser: { Map: map } }).CustomerUser.fields).toEqual(load().CustomerUser.fields);
  });

  test('an object row with only attribute and storage gets OTOBO-like defaults', () => {
    const config = load({ CustomerUser: { Map: [...DEFAULT_USER_MAP, { attribute: 'UserRoom', storage: 'room' }] } });
    expect(config.CustomerUser.fields[16]).toEqual({
      attribute: 'UserRoom',
      label: null,
      storage: 'room',
      show: 1,
      required: false,
      type: 'var',
      link: null,
      readonly: false,
      linkTarget: null,
      linkClass: null,
      graphqlName: 'room',
      role: 'plain',
    });
  });

  test('an object row with label/required/type/graphqlName', () => {
    const config = load({
      CustomerUser: {
        Map: [
          ...DEFAULT_USER_MAP,
          { attribute: 'UserRoom', label: 'Room', storage: 'room_no', required: 1, type: 'int', graphqlName: 'roomNumber' },
        ],
      },
    });
    const room = config.CustomerUser.fields[16];
    expect(room).toMatchObject({ attribute: 'UserRoom', label: 'Room', storage: 'room_no', required: true, type: 'int', graphqlName: 'roomNumber' });
  });

  test('a tuple row with fewer than 10 positions is accepted', () => {
    const config = load({ CustomerUser: { Map: [...DEFAULT_USER_MAP, ['UserRoom', 'Room', 'room', 2, 0, 'var']] } });
    expect(config.CustomerUser.fields[16]).toMatchObject({ attribute: 'UserRoom', show: 2, link: null, readonly: false, linkTarget: null });
  });
});

describe('configuration errors', () => {
  test('ConfigError formats paths like CustomerUser.Map[16][5]', () => {
    expect(formatConfigPath(['CustomerUser', 'Map', 16, 5])).toBe('CustomerUser.Map[16][5]');
    expect(formatConfigPath(['auth', 'tokens', 0])).toBe('auth.tokens[0]');
    expect(formatConfigPath([])).toBe('(root)');
    const error = new ConfigError([
      { path: ['a', 0], message: 'first' },
      { path: ['b', 'c'], message: 'second' },
    ]);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe('Invalid configuration:\n  a[0]: first\n  b.c: second');
  });

  test('a row with type "text" is reported at its position', () => {
    const error = configError({ CustomerUser: { Map: [...DEFAULT_USER_MAP, ['UserRoom', 'Room', 'room', 1, 0, 'text', '', 0, null, null]] } });
    expect(error.message).toContain('CustomerUser.Map[16][5]: type must be "var" or "int"');
    expect(error.issues).toEqual([{ path: ['CustomerUser', 'Map', 16, 5], message: 'type must be "var" or "int"' }]);
  });

  test('a derived name that is no valid GraphQL name asks for an explicit graphqlName', () => {
    const error = configError({ CustomerUser: { Map: [...DEFAULT_USER_MAP, ['_', 'Odd', 'odd', 1, 0, 'var', '', 0, null, null]] } });
    expect(issueLines(error)).toEqual([
      'CustomerUser.Map[16][0]: _ gives no valid GraphQL field name (""); give the row an explicit graphqlName',
    ]);
  });

  test('CustomerValid needs a ValidID row storing that column', () => {
    const error = configError({ CustomerUser: { Map: DEFAULT_USER_MAP.filter((r) => r[0] !== 'ValidID') } });
    expect(issueLines(error)).toEqual(['CustomerUser.CustomerValid: names column "valid_id", but the Map has no ValidID row']);
    expect(load({ CustomerUser: { CustomerValid: null, Map: DEFAULT_USER_MAP.filter((r) => r[0] !== 'ValidID') } }).CustomerUser.fields).toHaveLength(15);
  });

  test('a Map row that is neither an array nor an object', () => {
    const error = configError({ CustomerUser: { Map: [...DEFAULT_USER_MAP, 'UserRoom'] } });
    expect(issueLines(error)).toEqual(['CustomerUser.Map[16]: a Map row must be a 10-position array or an object']);
  });

  test('a tuple row with more than 10 positions', () => {
    const error = configError({ CustomerUser: { Map: [...DEFAULT_USER_MAP, ['UserRoom', 'Room', 'room', 1, 0, 'var', '', 0, null, null, 'x']] } });
    expect(issueLines(error)).toEqual(['CustomerUser.Map[16]: a Map row has at most 10 positions']);
  });

  test('an unknown key in an object row is reported by name', () => {
    const error = configError({ CustomerUser: { Map: [...DEFAULT_USER_MAP, { attribute: 'UserRoom', storage: 'room', typ: 'var' }] } });
    expect(error.message).toContain('CustomerUser.Map[16]');
    expect(error.message).toContain('"typ"');
  });

  test('an unknown top-level key is reported by name', () => {
    const error = configError({ CustomerUsers: {} });
    expect(issueLines(error)).toEqual(['(root): Unrecognized key: "CustomerUsers"']);
  });

  test('a misspelt key inside CustomerUser is reported by name', () => {
    const error = configError({ CustomerUser: { CustomerUserSearchListLimt: 100 } });
    expect(issueLines(error)).toEqual(['CustomerUser: Unrecognized key: "CustomerUserSearchListLimt"']);
  });

  test('CustomerUserSearchListLimit: -1', () => {
    const error = configError({ CustomerUser: { CustomerUserSearchListLimit: -1 } });
    expect(issueLines(error)).toEqual(['CustomerUser.CustomerUserSearchListLimit: must be positive']);
  });

  test('CustomerUserSearchListLimit: not a number', () => {
    const error = configError({ CustomerUser: { CustomerUserSearchListLimit: 'many' } });
    expect(issueLines(error)).toEqual(['CustomerUser.CustomerUserSearchListLimit: must be a number']);
  });

  test('CustomerUserSearchListLimit from the environment that is not a number', () => {
    const error = configError(undefined, { CONFIG__CustomerUser__CustomerUserSearchListLimit: 'lots' });
    expect(issueLines(error)).toEqual(['CustomerUser.CustomerUserSearchListLimit: must be a number']);
  });

  test('a search limit above limits.maxSearchLimit', () => {
    const error = configError({ CustomerUser: { CustomerUserSearchListLimit: 10001 } });
    expect(issueLines(error)).toEqual(['CustomerUser.CustomerUserSearchListLimit: must not exceed limits.maxSearchLimit (10000)']);
    const company = configError({ limits: { maxSearchLimit: 100 }, CustomerUser: { CustomerUserSearchListLimit: 100 } });
    expect(issueLines(company)).toEqual(['CustomerCompany.CustomerCompanySearchListLimit: must not exceed limits.maxSearchLimit (100)']);
    // equal to the maximum is fine
    expect(load({ limits: { maxSearchLimit: 1000 } }).CustomerUser.CustomerUserSearchListLimit).toBe(1000);
  });

  test('a Map without a UserLogin row', () => {
    const error = configError({
      CustomerUser: { CustomerUserSearchFields: ['first_name'], Map: DEFAULT_USER_MAP.filter((r) => r[0] !== 'UserLogin') },
    });
    expect(issueLines(error)).toEqual(['CustomerUser.Map: a row for UserLogin is required']);
  });

  test('a CustomerCompany Map without CustomerID and CustomerCompanyName rows', () => {
    const error = configError({
      CustomerCompany: {
        CustomerCompanyListFields: ['street'],
        CustomerCompanySearchFields: ['street'],
        Map: (defaults.CustomerCompany.Map as unknown[][]).filter((r) => r[0] !== 'CustomerID' && r[0] !== 'CustomerCompanyName'),
      },
    });
    expect(issueLines(error)).toEqual([
      'CustomerCompany.Map: a row for CustomerID is required',
      'CustomerCompany.Map: a row for CustomerCompanyName is required',
    ]);
  });

  test('a duplicate attribute', () => {
    const error = configError({ CustomerUser: { Map: [...DEFAULT_USER_MAP, ['UserPhone', 'Phone 2', 'phone2', 1, 0, 'var']] } });
    expect(issueLines(error)).toEqual(['CustomerUser.Map[16][0]: attribute UserPhone is already defined by row 7']);
  });

  test('two rows deriving the same GraphQL name', () => {
    const error = configError({
      CustomerUser: { Map: [...DEFAULT_USER_MAP, ['UserRoom', 'Room', 'room', 1, 0, 'var'], ['UserROOM', 'Room', 'room2', 1, 0, 'var']] },
    });
    expect(issueLines(error)).toEqual([
      'CustomerUser.Map[17][0]: GraphQL field name "room" of UserROOM clashes with row 16; give one of them an explicit graphqlName',
    ]);
  });

  test('an explicit graphqlName resolves the clash', () => {
    const config = load({
      CustomerUser: {
        Map: [...DEFAULT_USER_MAP, ['UserRoom', 'Room', 'room', 1, 0, 'var'], { attribute: 'UserROOM', storage: 'room2', graphqlName: 'roomUpper' }],
      },
    });
    expect(config.CustomerUser.fields.slice(16).map((f) => f.graphqlName)).toEqual(['room', 'roomUpper']);
  });

  test('a row whose name clashes with a built-in field', () => {
    const error = configError({ CustomerUser: { Map: [...DEFAULT_USER_MAP, ['UserFullName', 'Full name', 'full_name', 1, 0, 'var']] } });
    expect(issueLines(error)).toEqual([
      'CustomerUser.Map[16][0]: GraphQL field name "fullName" of UserFullName clashes with the built-in field CustomerUser.fullName; give the row an explicit graphqlName',
    ]);
    const company = configError({
      CustomerCompany: { Map: [...(defaults.CustomerCompany.Map as unknown[][]), ['CustomerCompanyUsers', 'Users', 'users', 1, 0, 'var']] },
    });
    expect(issueLines(company)).toEqual([
      'CustomerCompany.Map[9][0]: GraphQL field name "users" of CustomerCompanyUsers clashes with the built-in field Customer.users; give the row an explicit graphqlName',
    ]);
  });

  test('CustomerUserSearchFields naming a column no Map row stores', () => {
    const error = configError({ CustomerUser: { CustomerUserSearchFields: ['login', 'room', 'email'] } });
    expect(issueLines(error)).toEqual([
      'CustomerUser.CustomerUserSearchFields[1]: "room" is not the storage column of any (non-password) text ("var") Map row',
    ]);
  });

  test('the password column cannot be a search or list field', () => {
    const error = configError({ CustomerUser: { CustomerUserListFields: ['pw'] } });
    expect(issueLines(error)).toEqual(['CustomerUser.CustomerUserListFields[0]: "pw" is not the storage column of any (non-password) Map row']);
  });

  test('list, postmaster and name fields are checked against the Map too', () => {
    const error = configError({
      CustomerUser: { CustomerUserListFields: ['mail'], CustomerUserPostMasterSearchFields: ['email', 'email2'], CustomerUserNameFields: ['first'] },
    });
    expect(issueLines(error)).toEqual([
      'CustomerUser.CustomerUserListFields[0]: "mail" is not the storage column of any (non-password) Map row',
      'CustomerUser.CustomerUserPostMasterSearchFields[1]: "email2" is not the storage column of any (non-password) text ("var") Map row',
      'CustomerUser.CustomerUserNameFields[0]: "first" is not the storage column of any (non-password) Map row',
    ]);
  });

  test('CustomerKey not equal to the UserLogin row\'s storage', () => {
    const error = configError({ CustomerUser: { CustomerKey: 'email' } });
    expect(issueLines(error)).toEqual(['CustomerUser.CustomerKey: must be "login", the storage column of the UserLogin Map row']);
  });

  test('CustomerID and CustomerValid must match their rows too', () => {
    const error = configError({ CustomerUser: { CustomerID: 'customer', CustomerValid: 'valid' } });
    expect(issueLines(error)).toEqual([
      'CustomerUser.CustomerID: must be "customer_id", the storage column of the UserCustomerID Map row',
      'CustomerUser.CustomerValid: must be "valid_id", the storage column of the ValidID Map row',
    ]);
    const company = configError({ CustomerCompany: { CustomerCompanyKey: 'id' } });
    expect(issueLines(company)).toEqual(['CustomerCompany.CustomerCompanyKey: must be "customer_id", the storage column of the CustomerID Map row']);
  });

  test('a ValidID row typed var', () => {
    const map = DEFAULT_USER_MAP.map((r) => (r[0] === 'ValidID' ? ['ValidID', 'Valid', 'valid_id', 0, 1, 'var', '', 0, null, null] : r));
    const error = configError({ CustomerUser: { Map: map } });
    expect(issueLines(error)).toEqual(['CustomerUser.Map[15][5]: type of ValidID must be "int"']);
  });

  test('a UserLogin row typed int', () => {
    const map = DEFAULT_USER_MAP.map((r) => (r[0] === 'UserLogin' ? ['UserLogin', 'Username', 'login', 1, 1, 'int'] : r));
    const error = configError({ CustomerUser: { Map: map } });
    expect(issueLines(error)).toEqual([
      'CustomerUser.Map[3][5]: type of UserLogin must be "var"',
      'CustomerUser.CustomerUserSearchFields[0]: "login" is not the storage column of any (non-password) text ("var") Map row',
    ]);
  });

  test('the rows every record needs must be marked required', () => {
    const map = DEFAULT_USER_MAP.map((r) => (r[0] === 'UserEmail' ? ['UserEmail', 'Email', 'email', 1, 0, 'var', '', 0, null, null] : r));
    expect(issueLines(configError({ CustomerUser: { Map: map } }))).toEqual([
      'CustomerUser.Map[5][4]: UserEmail must be required (1): no record can be stored without it',
    ]);
  });

  test('an integer column cannot be searched as text', () => {
    const error = configError({ CustomerUser: { CustomerUserSearchFields: ['login', 'valid_id'] } });
    expect(issueLines(error)).toEqual([
      'CustomerUser.CustomerUserSearchFields[1]: "valid_id" is not the storage column of any (non-password) text ("var") Map row',
    ]);
  });

  test('an invalid regular expression in CheckEmailInvalidAddress', () => {
    const error = configError({ CheckEmailInvalidAddress: '@(example\\.' });
    const lines = issueLines(error);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^CheckEmailInvalidAddress: not a valid regular expression: /);
    // null switches the check off and is fine
    expect(load({ CheckEmailInvalidAddress: null }).CheckEmailInvalidAddress).toBeNull();
  });

  test('database.url that is not a postgres URL', () => {
    const error = configError({ database: { url: 'mysql://otobo@localhost/otobo' } });
    expect(issueLines(error)).toEqual(['database.url: must be a postgres:// URL']);
    const fromEnv = configError(undefined, { DATABASE_URL: 'sqlite:///tmp/db' });
    expect(issueLines(fromEnv)).toEqual(['database.url: must be a postgres:// URL']);
    expect(load({ database: { url: 'postgresql://localhost/otobo' } }).database.url).toBe('postgresql://localhost/otobo');
  });

  test('an auth token with both token and sha256, or neither', () => {
    const both = configError({
      auth: { tokens: [{ name: 'ci', token: 'x'.repeat(24), sha256: 'a'.repeat(64), role: 'admin' }] },
    });
    expect(issueLines(both)).toEqual(['auth.tokens[0]: give exactly one of token or sha256']);
    const neither = configError({
      auth: { tokens: [{ name: 'ok', token: 'y'.repeat(24), role: 'reader' }, { name: 'ci', role: 'admin' }] },
    });
    expect(issueLines(neither)).toEqual(['auth.tokens[1]: give exactly one of token or sha256']);
  });

  test('a valid token gets agentId 1 by default', () => {
    const config = load({ auth: { tokens: [{ name: 'ci', sha256: 'b'.repeat(64), role: 'reader' }] } });
    expect(config.auth.tokens).toEqual([{ name: 'ci', sha256: 'b'.repeat(64), role: 'reader', agentId: 1 }]);
  });

  test('passwords.generatedLength 7', () => {
    const error = configError({ passwords: { generatedLength: 7 } });
    expect(issueLines(error)).toEqual(['passwords.generatedLength: must be at least 8']);
  });

  test('the message lists every issue on its own line (schema issues)', () => {
    const error = configError({ passwords: { generatedLength: 7 }, CustomerUser: { CustomerUserSearchListLimit: -1 }, Bogus: 1 });
    expect(issueLines(error).sort()).toEqual(
      [
        '(root): Unrecognized key: "Bogus"',
        'passwords.generatedLength: must be at least 8',
        'CustomerUser.CustomerUserSearchListLimit: must be positive',
      ].sort(),
    );
    expect(error.issues).toHaveLength(3);
  });

  test('the message lists every issue on its own line (Map and cross-field issues)', () => {
    const map = [
      ...DEFAULT_USER_MAP.map((r) => (r[0] === 'ValidID' ? ['ValidID', 'Valid', 'valid_id', 0, 1, 'var'] : r)),
      ['UserRoom', 'Room', 'room', 1, 0, 'text'],
    ];
    const error = configError({ CustomerUser: { Map: map, CustomerKey: 'mail', CustomerUserSearchFields: ['nope'] } });
    expect(issueLines(error)).toEqual([
      'CustomerUser.Map[15][5]: type of ValidID must be "int"',
      'CustomerUser.Map[16][5]: type must be "var" or "int"',
      'CustomerUser.CustomerKey: must be "login", the storage column of the UserLogin Map row',
      'CustomerUser.CustomerUserSearchFields[0]: "nope" is not the storage column of any (non-password) text ("var") Map row',
    ]);
    expect(error.issues.map((i) => formatConfigPath(i.path))).toEqual([
      'CustomerUser.Map[15][5]',
      'CustomerUser.Map[16][5]',
      'CustomerUser.CustomerKey',
      'CustomerUser.CustomerUserSearchFields[0]',
    ]);
  });
});

describe('config/local.example.json', () => {
  it('is a valid override once its token placeholder is replaced, and adds the room row', () => {
    const example = readFileSync('config/local.example.json', 'utf8').replace(/<sha256 hex[^"]*>/, 'a'.repeat(64));
    const config = loadConfig({ localFile: writeJson(example), env: {} });
    expect(config.CustomerUser.fields.at(-1)).toMatchObject({ attribute: 'UserRoom', storage: 'room', required: true, graphqlName: 'room' });
  });

  it('is refused as it stands, so the placeholder cannot go live by accident', () => {
    expect(() => loadConfig({ localFile: 'config/local.example.json', env: {} })).toThrow('auth.tokens[0].sha256');
  });
});
