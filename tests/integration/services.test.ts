import { graphql } from '../generated';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const CreateService = graphql(`
  mutation CreateService($input: ServiceCreateInput!) { createService(input: $input) { id name fullName validity parent { fullName } } }
`);
const UpdateService = graphql(`
  mutation UpdateService($id: Int!, $input: ServiceUpdateInput!) { updateService(id: $id, input: $input) { id name fullName comment validity } }
`);
const Tree = graphql(`
  query ServiceTree { serviceTree { fullName children { name fullName children { name fullName } } } }
`);
const Services = graphql(`
  query ServiceList($includeInvalid: Boolean) { services(includeInvalid: $includeInvalid) { fullName validity isDefault } }
`);
const UserServices = graphql(`
  query UserServices($login: String!) {
    customerUser(login: $login) { services { fromDefaults services { fullName } } ownServices { fullName validity } }
  }
`);
const SetUserServices = graphql(`
  mutation SetUserServices($login: String!, $serviceIds: [Int!]!) {
    setCustomerUserServices(login: $login, serviceIds: $serviceIds) { login ownServices { fullName } }
  }
`);
const SetServiceUsers = graphql(`
  mutation SetServiceUsers($serviceId: Int!, $logins: [String!]!) {
    setServiceCustomerUsers(serviceId: $serviceId, logins: $logins) { fullName customerUsers { login } }
  }
`);
const AddService = graphql(`
  mutation AddService($login: String!, $serviceId: Int!) { addCustomerUserService(login: $login, serviceId: $serviceId) { ownServices { fullName } } }
`);
const RemoveService = graphql(`
  mutation RemoveService($login: String!, $serviceId: Int!) { removeCustomerUserService(login: $login, serviceId: $serviceId) { ownServices { fullName } } }
`);
const SetDefaults = graphql(`
  mutation SetDefaults($serviceIds: [Int!]!) { setDefaultServices(serviceIds: $serviceIds) { fullName } }
`);

let app: TestApp;
const ids = { it: 0, printing: 0, toner: 0, mail: 0 };
beforeAll(async () => {
  app = await startTestApp();
  await addCustomer(app, { customerId: 'acme' });
  for (const login of ['ann', 'bob']) await addCustomerUser(app, { login, customerId: 'acme' });
  ids.it = (await app.ok(CreateService, { input: { name: 'IT' } })).createService.id;
  ids.printing = (await app.ok(CreateService, { input: { name: 'Printing', parentId: ids.it } })).createService.id;
  ids.toner = (await app.ok(CreateService, { input: { name: 'Toner', parentId: ids.printing } })).createService.id;
  ids.mail = (await app.ok(CreateService, { input: { name: 'Mail', comment: 'E-mail' } })).createService.id;
});
afterAll(() => app.close());

describe('the catalogue', () => {
  it('stores the whole path as the name and shows the tree', async () => {
    const child = (await app.ok(CreateService, { input: { name: 'Scanning', parentId: ids.it } })).createService;
    expect(child).toMatchObject({ name: 'Scanning', fullName: 'IT::Scanning', validity: 'VALID', parent: { fullName: 'IT' } });
    expect((await app.ok(Tree)).serviceTree).toEqual([
      {
        fullName: 'IT',
        children: [
          { name: 'Printing', fullName: 'IT::Printing', children: [{ name: 'Toner', fullName: 'IT::Printing::Toner' }] },
          { name: 'Scanning', fullName: 'IT::Scanning', children: [] },
        ],
      },
      { fullName: 'Mail', children: [] },
    ]);
  });

  it('renames and moves subtrees, refusing cycles, duplicates and nested names', async () => {
    const renamed = (await app.ok(UpdateService, { id: ids.printing, input: { name: 'Print' } })).updateService;
    expect(renamed.fullName).toBe('IT::Print');
    expect((await app.ok(Services, {})).services.map((s) => s.fullName)).toContain('IT::Print::Toner');
    const moved = (await app.ok(UpdateService, { id: ids.printing, input: { parentId: null } })).updateService;
    expect(moved.fullName).toBe('Print');
    expect((await app.ok(Services, {})).services.map((s) => s.fullName)).toContain('Print::Toner');
    await app.ok(UpdateService, { id: ids.printing, input: { name: 'Printing', parentId: ids.it } });

    expect(onlyError(await app.request(UpdateService, { id: ids.it, input: { parentId: ids.toner } })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'SERVICE_CYCLE',
    });
    expect(onlyError(await app.request(CreateService, { input: { name: 'printing', parentId: ids.it } })).extensions).toMatchObject({ code: 'CONFLICT' });
    expect(onlyError(await app.request(CreateService, { input: { name: 'A::B' } })).extensions).toMatchObject({ reason: 'NESTED_NAME' });
    expect(onlyError(await app.request(CreateService, { input: { name: 'X', parentId: 999 } })).extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'parentId',
    });
  });
});

describe('customer user ↔ service', () => {
  it('assigns from the user side and from the service side', async () => {
    const set = await app.ok(SetUserServices, { login: 'ann', serviceIds: [ids.mail, ids.toner] });
    expect(set.setCustomerUserServices.ownServices.map((s) => s.fullName)).toEqual(['IT::Printing::Toner', 'Mail']);
    const bySide = await app.ok(SetServiceUsers, { serviceId: ids.mail, logins: ['bob', 'ann'] });
    expect(bySide.setServiceCustomerUsers.customerUsers.map((u) => u.login)).toEqual(['ann', 'bob']);
    await app.ok(SetServiceUsers, { serviceId: ids.mail, logins: ['bob'] });
    expect((await app.ok(UserServices, { login: 'ann' })).customerUser!.ownServices.map((s) => s.fullName)).toEqual(['IT::Printing::Toner']);
    expect((await app.ok(AddService, { login: 'ann', serviceId: ids.it })).addCustomerUserService.ownServices).toHaveLength(2);
    expect((await app.ok(RemoveService, { login: 'ann', serviceId: ids.it })).removeCustomerUserService.ownServices).toHaveLength(1);
  });

  it('applies the default services only to users without a valid service of their own', async () => {
    const defaults = await app.ok(SetDefaults, { serviceIds: [ids.it] });
    expect(defaults.setDefaultServices.map((s) => s.fullName)).toEqual(['IT']);
    await app.ok(SetUserServices, { login: 'bob', serviceIds: [] });
    expect((await app.ok(UserServices, { login: 'bob' })).customerUser!.services).toEqual({ fromDefaults: true, services: [{ fullName: 'IT' }] });
    const ann = (await app.ok(UserServices, { login: 'ann' })).customerUser!.services;
    expect(ann).toEqual({ fromDefaults: false, services: [{ fullName: 'IT::Printing::Toner' }] }); // never combined

    // An own service that is invalid does not count: the defaults apply again.
    await app.ok(UpdateService, { id: ids.toner, input: { validity: 'INVALID' } });
    expect((await app.ok(UserServices, { login: 'ann' })).customerUser!.services).toEqual({ fromDefaults: true, services: [{ fullName: 'IT' }] });
    expect((await app.ok(UserServices, { login: 'ann' })).customerUser!.ownServices).toEqual([{ fullName: 'IT::Printing::Toner', validity: 'INVALID' }]);
    await app.ok(UpdateService, { id: ids.toner, input: { validity: 'VALID' } });
    expect((await app.ok(Services, {})).services.filter((s) => s.isDefault).map((s) => s.fullName)).toEqual(['IT']);
    // The pseudo login is not listed as a user of its services.
    const SetServiceUsersOnIt = await app.ok(SetServiceUsers, { serviceId: ids.it, logins: [] });
    expect(SetServiceUsersOnIt.setServiceCustomerUsers.customerUsers).toEqual([]);
    expect((await app.ok(SetDefaults, { serviceIds: [ids.it] })).setDefaultServices).toHaveLength(1);
  });

  it('refuses unknown users and services with NOT_FOUND', async () => {
    expect(onlyError(await app.request(SetUserServices, { login: 'ghost', serviceIds: [] })).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'login' });
    expect(onlyError(await app.request(SetUserServices, { login: 'ann', serviceIds: [999] })).extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'serviceIds',
    });
    expect(onlyError(await app.request(SetServiceUsers, { serviceId: ids.mail, logins: ['ghost'] })).extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(onlyError(await app.request(SetDefaults, { serviceIds: [999] })).extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
