import { graphql } from '../generated';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, READER_TOKEN, startTestApp, type TestApp } from '../support/test-app';

const Preferences = graphql(`
  query Preferences($login: String!) { customerUser(login: $login) { login preferences { key value } } }
`);
const SetPreferences = graphql(`
  mutation SetPreferences($login: String!, $preferences: [PreferenceInput!]!) {
    setCustomerUserPreferences(login: $login, preferences: $preferences) { preferences { key value } }
  }
`);
const Relations = graphql(`
  query AllRelations($login: String!) {
    customerUser(login: $login) {
      login customerIds groupPermissions { group { name } types } ownServices { fullName } preferences { key value }
    }
  }
`);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ overrides: { CustomerGroupSupport: 1 } });
  for (const customerId of ['acme', 'beta']) await addCustomer(app, { customerId });
  await addCustomerUser(app, { login: 'ann', customerId: 'acme' });
});
afterAll(() => app.close());

describe('preferences', () => {
  it('are written and read by admins: set, replace, delete with null, other keys kept', async () => {
    await app.ok(SetPreferences, { login: 'ANN', preferences: [{ key: 'UserLanguage', value: 'de' }, { key: 'UserTimeZone', value: 'Europe/Berlin' }] });
    const replaced = await app.ok(SetPreferences, { login: 'ann', preferences: [{ key: 'UserLanguage', value: 'fr' }, { key: 'UserTimeZone', value: null }] });
    expect(replaced.setCustomerUserPreferences.preferences).toEqual([{ key: 'UserLanguage', value: 'fr' }]);
  });

  it('are hidden from readers', async () => {
    const result = await app.request(Preferences, { login: 'ann' }, { token: READER_TOKEN });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it("refuse native attribute keys, too long values and unknown users", async () => {
    expect(onlyError(await app.request(SetPreferences, { login: 'ann', preferences: [{ key: 'UserEmail', value: 'x@y.z' }] })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'NATIVE_ATTRIBUTE',
    });
    expect(onlyError(await app.request(SetPreferences, { login: 'ann', preferences: [{ key: 'UserSkin', value: 'x'.repeat(251) }] })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'value',
    });
    expect(onlyError(await app.request(SetPreferences, { login: 'ghost', preferences: [] })).extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keep secrets out of the history', async () => {
    await app.ok(SetPreferences, { login: 'ann', preferences: [{ key: 'UserToken', value: 'abcdefghijklmn' }] });
    const History = graphql(`query PreferenceHistory($login: String!) { customerUser(login: $login) { history(limit: 1) { changes { field oldValue newValue } } } }`);
    expect((await app.ok(History, { login: 'ann' })).customerUser!.history[0]!.changes).toEqual([
      { field: 'preferences.UserToken', oldValue: null, newValue: '(set)' },
    ]);
  });
});

it('a login rename carries every relation and the preferences; a CustomerID rename carries extra customers and company permissions', async () => {
  const service = (await app.ok(graphql(`mutation RenameService { createService(input: { name: "Desk" }) { id } }`))).createService.id;
  await app.ok(graphql(`mutation RenameExtra { setCustomerUserCustomers(login: "ann", customerIds: ["beta"]) { login } }`));
  await app.ok(graphql(`mutation RenameGroup { setCustomerUserGroup(login: "ann", groupId: 3, types: ["ro"]) { login } }`));
  await app.ok(graphql(`mutation RenameUserService($id: Int!) { setCustomerUserServices(login: "ann", serviceIds: [$id]) { login } }`), { id: service });
  await app.ok(graphql(`mutation RenameCompanyGroup { setCustomerGroup(customerId: "beta", groupId: 2, context: "Ticket::CustomerID::Same", types: ["rw"]) { customerId } }`));

  await app.ok(graphql(`mutation RenameAnn { updateCustomerUser(login: "ann", input: { login: "annette" }) { login } }`));
  await app.ok(graphql(`mutation RenameBeta { updateCustomer(customerId: "beta", input: { customerId: "beta2" }) { customerId } }`));
  const renamed = (await app.ok(Relations, { login: 'annette' })).customerUser!;
  expect(renamed.customerIds).toEqual(['acme', 'beta2']);
  expect(renamed.groupPermissions).toEqual([{ group: { name: 'stats' }, types: ['ro'] }]);
  expect(renamed.ownServices).toEqual([{ fullName: 'Desk' }]);
  expect(renamed.preferences.map((p) => p.key)).toEqual(['UserLanguage', 'UserToken']);
  const Company = graphql(`query RenamedCompany { customer(customerId: "beta2") { groupPermissions { group { name } types } extraUsers { login } } }`);
  expect((await app.ok(Company)).customer).toEqual({ groupPermissions: [{ group: { name: 'admin' }, types: ['rw'] }], extraUsers: [{ login: 'annette' }] });
  // Inherited through the renamed extra customer:
  const Effective = graphql(`query RenamedEffective { customerUser(login: "annette") { effectivePermissions { group { name } types } } }`);
  expect((await app.ok(Effective)).customerUser!.effectivePermissions).toContainEqual({ group: { name: 'admin' }, types: ['ro', 'rw'] });
});
