import defaults from '../../config/defaults.json';
import { ConfigError } from '../../src/config/issues';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, testConfig, type TestApp } from '../support/test-app';

/** OTOBO's CustomerUser.Selections: per Map attribute, allowed value → label. */
const SELECTIONS = {
  UserTitle: { 'Mr.': 'Mr.', 'Mrs.': 'Mrs.', 'Dr.': 'Doctor' },
  UserCountry: { DE: 'Germany', AT: 'Austria' },
};

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ overrides: { CustomerUser: { Selections: SELECTIONS } } });
  await addCustomer(app, { customerId: 'ACME' });
  await addCustomerUser(app, { login: 'mr', customerId: 'ACME', title: 'Mr.', country: 'DE' });
  await addCustomerUser(app, { login: 'mrs', customerId: 'ACME', title: 'Mrs.', country: 'AT' });
  await addCustomerUser(app, { login: 'none', customerId: 'ACME' });
});
afterAll(() => app.close());

const create = (input: Record<string, unknown>) =>
  app.request(`mutation ($input: CustomerUserCreateInput!) { createCustomerUser(input: $input) { customerUser { login title } } }`, {
    input: { email: `${String(input.login)}@acme.test`, customerId: 'ACME', firstName: 'F', lastName: 'L', ...input },
  });
const update = (login: string, input: Record<string, unknown>) =>
  app.request(`mutation ($login: String!, $input: CustomerUserUpdateInput!) { updateCustomerUser(login: $login, input: $input) { title country } }`, {
    login,
    input,
  });
const search = (filter: Record<string, unknown>) =>
  app.request<{ customerUsers: { nodes: { login: string }[] } }, unknown>(
    `query ($filter: CustomerUserFilter) { customerUsers(filter: $filter) { nodes { login } } }`,
    { filter },
  );
const logins = async (filter: Record<string, unknown>) => (await search(filter)).data?.customerUsers.nodes.map((n) => n.login);

describe('selection fields', () => {
  it('are listed with their options in the field metadata; free fields have none', async () => {
    const data = await app.ok<{ customerUserFields: { name: string; options: { value: string; label: string }[] | null }[] }, unknown>(
      '{ customerUserFields { name options { value label } } }',
    );
    const options = Object.fromEntries(data.customerUserFields.map((f) => [f.name, f.options]));
    expect(options.title).toEqual([
      { value: 'Mr.', label: 'Mr.' },
      { value: 'Mrs.', label: 'Mrs.' },
      { value: 'Dr.', label: 'Doctor' },
    ]);
    expect(options.country).toEqual([{ value: 'DE', label: 'Germany' }, { value: 'AT', label: 'Austria' }]);
    expect(options.city).toBeNull();
  });

  it('refuse a create with a value outside the selection, naming the field, and write nothing', async () => {
    const error = onlyError(await create({ login: 'prof', title: 'Prof.' }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title', reason: 'NOT_IN_SELECTION' });
    expect(error.message).toContain('title must be one of its configured selection values');
    expect((await app.ok<{ customerUser: unknown }, unknown>('{ customerUser(login: "prof") { login } }')).customerUser).toBeNull();
  });

  it('compare exactly: another spelling is not the value', async () => {
    expect(onlyError(await create({ login: 'lower', title: 'mr.' })).extensions).toMatchObject({ reason: 'NOT_IN_SELECTION' });
  });

  it('accept their values, and empty or null when the field is not required', async () => {
    expect((await create({ login: 'dr', title: 'Dr.' })).errors).toBeUndefined();
    expect((await create({ login: 'blank', title: '', country: null })).errors).toBeUndefined();
  });

  it('refuse an update to a value outside the selection; a valid value or null is taken', async () => {
    const error = onlyError(await update('mr', { country: 'FR' }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'country', reason: 'NOT_IN_SELECTION' });
    expect((await update('mr', { country: 'AT' })).data).toEqual({ updateCustomerUser: { title: 'Mr.', country: 'AT' } });
    expect((await update('mr', { country: null })).data).toEqual({ updateCustomerUser: { title: 'Mr.', country: null } });
    await update('mr', { country: 'DE' });
  });

  it('are searched by a list of values ("one of")', async () => {
    expect(await logins({ title: ['Mr.', 'Mrs.'] })).toEqual(['mr', 'mrs']);
    expect(await logins({ title: ['Mrs.'], country: ['AT', 'DE'] })).toEqual(['mrs']);
    expect(await logins({ title: [] })).toEqual([]);
  });

  it('refuse a search value outside the selection, as OTOBO does', async () => {
    expect(onlyError(await search({ title: ['Prof.'] })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.title', reason: 'NOT_IN_SELECTION' });
  });

  it('take a list in the filter and in the schema; other text filters stay patterns', async () => {
    const data = await app.ok<{ __type: { inputFields: { name: string; type: { kind: string } }[] } }, unknown>(
      '{ __type(name: "CustomerUserFilter") { inputFields { name type { kind } } } }',
    );
    const kinds = Object.fromEntries(data.__type.inputFields.map((f) => [f.name, f.type.kind]));
    expect(kinds).toMatchObject({ title: 'LIST', country: 'LIST', city: 'SCALAR' });
  });
});

describe('a required selection field', () => {
  it('refuses an empty value as required, not as outside the selection', async () => {
    const required = await startTestApp({
      overrides: {
        CustomerUser: {
          Selections: { UserTitle: { 'Mr.': 'Mr.' } },
          Map: defaults.CustomerUser.Map.map((row) =>
            row[0] === 'UserTitle' ? ['UserTitle', 'Title', 'title', 1, 1, 'var', '', 0, null, null] : row,
          ),
        },
      },
    });
    try {
      await addCustomer(required, { customerId: 'ACME' });
      const error = onlyError(
        await required.request(`mutation { createCustomerUser(input: { login: "x", email: "x@acme.test", customerId: "ACME", firstName: "F", lastName: "L", title: " " }) { generatedPassword } }`),
      );
      expect(error.extensions).toMatchObject({ field: 'title', reason: 'INVALID_FIELD' });
      expect(error.message).toBe('title is required');
    } finally {
      await required.close();
    }
  });
});

describe('Selections in the configuration', () => {
  const configError = (selections: unknown): string => {
    try {
      testConfig({ CustomerUser: { Selections: selections } });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('are checked at startup against the Map, naming the key', () => {
    expect(configError({ UserTitel: { 'Mr.': 'Mr.' } })).toContain('CustomerUser.Selections.UserTitel: UserTitel is not an attribute of the Map');
    expect(configError({ ValidID: { 1: 'valid' } })).toContain('CustomerUser.Selections.ValidID: ValidID cannot be a selection');
    expect(configError({ UserPassword: { x: 'x' } })).toContain('CustomerUser.Selections.UserPassword: UserPassword cannot be a selection');
    expect(configError({ UserTitle: {} })).toContain('CustomerUser.Selections.UserTitle: a selection needs at least one value');
    expect(configError({ UserTitle: { ' Mr.': 'Mr.' } })).toContain('CustomerUser.Selections.UserTitle. Mr.: a selection value must not be empty');
    expect(configError({ UserTitle: { 'Mr.': 1 } })).toContain('CustomerUser.Selections.UserTitle.Mr.: a selection label must be a string');
  });
});
