import { graphql } from '../generated';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const SAME = 'Ticket::CustomerID::Same';
const OTHER = 'Ticket::CustomerID::Other';

const Groups = graphql(`
  query Groups($includeInvalid: Boolean) { groups(includeInvalid: $includeInvalid) { id name comment validity } }
`);
const CreateGroup = graphql(`
  mutation CreateGroup($input: GroupCreateInput!) { createGroup(input: $input) { id name comment validity } }
`);
const UpdateGroup = graphql(`
  mutation UpdateGroup($id: Int!, $input: GroupUpdateInput!) { updateGroup(id: $id, input: $input) { id name comment validity } }
`);
const Effective = graphql(`
  query Effective($login: String!) {
    customerUser(login: $login) {
      groupPermissions { group { name } types }
      effectivePermissions { group { name } types grants { type sources { kind customerId context viaType } } }
    }
  }
`);
const SetUserGroups = graphql(`
  mutation SetUserGroups($login: String!, $permissions: [GroupTypesInput!]!) {
    setCustomerUserGroups(login: $login, permissions: $permissions) { login groupPermissions { group { name } types } }
  }
`);
const SetUserGroup = graphql(`
  mutation SetUserGroup($login: String!, $groupId: Int!, $types: [String!]!) {
    setCustomerUserGroup(login: $login, groupId: $groupId, types: $types) { login groupPermissions { group { name } types } }
  }
`);
const SetGroupUsers = graphql(`
  mutation SetGroupUsers($groupId: Int!, $permissions: [CustomerUserTypesInput!]!) {
    setGroupCustomerUsers(groupId: $groupId, permissions: $permissions) { name customerUsers { login types customerUser { validity } } }
  }
`);
const SetCustomerGroups = graphql(`
  mutation SetCustomerGroups($customerId: String!, $permissions: [GroupContextTypesInput!]!) {
    setCustomerGroups(customerId: $customerId, permissions: $permissions) { customerId groupPermissions { group { name } context types } }
  }
`);
const SetCustomerGroup = graphql(`
  mutation SetCustomerGroup($customerId: String!, $groupId: Int!, $context: String!, $types: [String!]!) {
    setCustomerGroup(customerId: $customerId, groupId: $groupId, context: $context, types: $types) { customerId groupPermissions { group { name } context types } }
  }
`);
const SetGroupCustomers = graphql(`
  mutation SetGroupCustomers($groupId: Int!, $permissions: [CustomerContextTypesInput!]!) {
    setGroupCustomers(groupId: $groupId, permissions: $permissions) { name customers { customerId context types } }
  }
`);
const Access = graphql(`
  query Access($login: String!) {
    customerUser(login: $login) { customerAccess { customer { customerId } direct indirect viaGroups { name } } }
  }
`);

type EffectiveRow = { group: { name: string }; types: string[] };
const typesByGroup = (rows: readonly EffectiveRow[]) => Object.fromEntries(rows.map((r) => [r.group.name, r.types]));

describe('with CustomerGroupSupport off (the default)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await addCustomer(app, { customerId: 'acme' });
    await addCustomerUser(app, { login: 'ann', customerId: 'acme' });
  });
  afterAll(() => app.close());

  it("has OTOBO's initial groups", async () => {
    const groups = (await app.ok(Groups, {})).groups;
    expect(groups.map((g) => [g.id, g.name, g.validity])).toEqual([
      [2, 'admin', 'VALID'],
      [3, 'stats', 'VALID'],
      [1, 'users', 'VALID'],
    ]);
  });

  it('describes the settings for the group screens, and answers null for an unknown group', async () => {
    const Settings = graphql(`
      query GroupSettings { customerGroupSettings { enabled permissionTypes contexts { value name kind } alwaysGroups companyAlwaysGroups } group(id: 999) { id } }
    `);
    expect(await app.ok(Settings)).toEqual({
      customerGroupSettings: {
        enabled: false,
        permissionTypes: ['ro', 'rw'],
        contexts: [{ value: SAME, name: 'Same Customer', kind: 'SAME' }],
        alwaysGroups: ['users'],
        companyAlwaysGroups: ['users'],
      },
      group: null,
    });
  });

  it('gives every user every type on every valid group, and says why', async () => {
    const hidden = (await app.ok(CreateGroup, { input: { name: 'hidden', validity: 'INVALID' } })).createGroup;
    const effective = (await app.ok(Effective, { login: 'ann' })).customerUser!.effectivePermissions;
    expect(typesByGroup(effective)).toEqual({ admin: ['ro', 'rw'], stats: ['ro', 'rw'], users: ['ro', 'rw'] });
    expect(effective[0]!.grants[0]!.sources).toEqual([{ kind: 'GROUP_SUPPORT_OFF', customerId: null, context: null, viaType: null }]);
    expect(effective.map((e) => e.group.name)).not.toContain(hidden.name);
  });

  it('refuses the group relation mutations with FEATURE_DISABLED', async () => {
    const results = [
      await app.request(SetUserGroups, { login: 'ann', permissions: [{ groupId: 1, types: ['ro'] }] }),
      await app.request(SetUserGroup, { login: 'ann', groupId: 1, types: ['ro'] }),
      await app.request(SetGroupUsers, { groupId: 1, permissions: [] }),
      await app.request(SetCustomerGroups, { customerId: 'acme', permissions: [] }),
      await app.request(SetCustomerGroup, { customerId: 'acme', groupId: 1, context: SAME, types: [] }),
      await app.request(SetGroupCustomers, { groupId: 1, permissions: [] }),
    ];
    for (const result of results) {
      const error = onlyError(result);
      expect(error.extensions).toMatchObject({ code: 'FEATURE_DISABLED', reason: 'CUSTOMER_GROUP_SUPPORT_OFF' });
      expect(error.message).toContain('CustomerGroupSupport');
    }
  });
});

describe('with CustomerGroupSupport on', () => {
  let app: TestApp;
  let support: number;
  let sales: number;
  beforeAll(async () => {
    app = await startTestApp({ overrides: { CustomerGroupSupport: 1 } });
    for (const customerId of ['acme', 'beta', 'gamma']) await addCustomer(app, { customerId });
    await addCustomerUser(app, { login: 'ann', customerId: 'acme' });
    await addCustomerUser(app, { login: 'bob', customerId: 'beta' });
    support = (await app.ok(CreateGroup, { input: { name: 'support', comment: 'Help desk' } })).createGroup.id;
    sales = (await app.ok(CreateGroup, { input: { name: 'sales' } })).createGroup.id;
  });
  afterAll(() => app.close());

  it('creates and updates groups; names are unique case-insensitively; unknown ids are NOT_FOUND', async () => {
    const made = (await app.ok(CreateGroup, { input: { name: ' temp ' } })).createGroup;
    expect(made).toMatchObject({ name: 'temp', comment: null, validity: 'VALID' });
    const updated = (await app.ok(UpdateGroup, { id: made.id, input: { comment: 'later', validity: 'INVALID_TEMPORARILY' } })).updateGroup;
    expect(updated).toEqual({ id: made.id, name: 'temp', comment: 'later', validity: 'INVALID_TEMPORARILY' });
    expect((await app.ok(Groups, {})).groups.map((g) => g.name)).not.toContain('temp');
    expect((await app.ok(Groups, { includeInvalid: true })).groups.map((g) => g.name)).toContain('temp');
    expect(onlyError(await app.request(CreateGroup, { input: { name: 'SUPPORT' } })).extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect(onlyError(await app.request(CreateGroup, { input: { name: '  ' } })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(onlyError(await app.request(UpdateGroup, { id: 999, input: { name: 'x' } })).extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('grants only the always-group to a user without permissions', async () => {
    const effective = (await app.ok(Effective, { login: 'bob' })).customerUser!.effectivePermissions;
    expect(typesByGroup(effective)).toEqual({ users: ['ro', 'rw'] });
    // Both the user's and the company's always-groups grant it.
    expect(effective[0]!.grants[0]!.sources.map((s) => s.kind).sort()).toEqual(['ALWAYS_GROUP', 'CUSTOMER_ALWAYS_GROUP']);
  });

  it('sets direct permissions from the user side; rw is stored alone and implies every type', async () => {
    const set = await app.ok(SetUserGroups, {
      login: 'ann',
      permissions: [{ groupId: support, types: ['ro', 'rw'] }, { groupId: sales, types: ['ro'] }],
    });
    expect(set.setCustomerUserGroups.groupPermissions).toEqual([
      { group: { name: 'support' }, types: ['rw'] },
      { group: { name: 'sales' }, types: ['ro'] },
    ]);
    const { effectivePermissions } = (await app.ok(Effective, { login: 'ann' })).customerUser!;
    expect(typesByGroup(effectivePermissions)).toEqual({ sales: ['ro'], support: ['ro', 'rw'], users: ['ro', 'rw'] });
    const supportRow = effectivePermissions.find((e) => e.group.name === 'support')!;
    expect(supportRow.grants.map((g) => [g.type, g.sources])).toEqual([
      ['ro', [{ kind: 'DIRECT', customerId: null, context: null, viaType: 'rw' }]],
      ['rw', [{ kind: 'DIRECT', customerId: null, context: null, viaType: 'rw' }]],
    ]);

    const single = await app.ok(SetUserGroup, { login: 'ann', groupId: sales, types: [] });
    expect(single.setCustomerUserGroup.groupPermissions).toEqual([{ group: { name: 'support' }, types: ['rw'] }]);
  });

  it("sets a group's users from the group side, leaving the users' other groups alone", async () => {
    const set = await app.ok(SetGroupUsers, { groupId: sales, permissions: [{ login: 'ann', types: ['ro'] }, { login: 'BOB', types: ['rw'] }] });
    expect(set.setGroupCustomerUsers.customerUsers).toEqual([
      { login: 'ann', types: ['ro'], customerUser: { validity: 'VALID' } },
      { login: 'bob', types: ['rw'], customerUser: { validity: 'VALID' } },
    ]);
    expect((await app.ok(Effective, { login: 'ann' })).customerUser!.groupPermissions.map((p) => p.group.name).sort()).toEqual(['sales', 'support']);
    const narrowed = await app.ok(SetGroupUsers, { groupId: sales, permissions: [{ login: 'bob', types: ['rw'] }] });
    expect(narrowed.setGroupCustomerUsers.customerUsers.map((u) => u.login)).toEqual(['bob']);
    expect((await app.ok(Effective, { login: 'ann' })).customerUser!.groupPermissions).toEqual([{ group: { name: 'support' }, types: ['rw'] }]);
  });

  it('inherits company permissions in the same-customer context, through extra customers too', async () => {
    await app.ok(SetCustomerGroups, { customerId: 'gamma', permissions: [{ groupId: sales, context: SAME, types: ['ro'] }] });
    const before = (await app.ok(Effective, { login: 'ann' })).customerUser!.effectivePermissions;
    expect(typesByGroup(before).sales).toBeUndefined();
    const SetUserCustomers = graphql(`
      mutation GroupsSetUserCustomers($login: String!, $customerIds: [String!]!) { setCustomerUserCustomers(login: $login, customerIds: $customerIds) { login } }
    `);
    await app.ok(SetUserCustomers, { login: 'ann', customerIds: ['gamma'] });
    const after = (await app.ok(Effective, { login: 'ann' })).customerUser!.effectivePermissions;
    expect(typesByGroup(after).sales).toEqual(['ro']);
    expect(after.find((e) => e.group.name === 'sales')!.grants[0]!.sources).toEqual([
      { kind: 'CUSTOMER', customerId: 'gamma', context: SAME, viaType: 'ro' },
    ]);
  });

  it('sets company permissions from the group side, per context', async () => {
    const set = await app.ok(SetGroupCustomers, {
      groupId: support,
      permissions: [{ customerId: 'beta', context: SAME, types: ['rw', 'ro'] }, { customerId: 'ACME', context: SAME, types: ['ro'] }],
    });
    expect(set.setGroupCustomers.customers).toEqual([
      { customerId: 'acme', context: SAME, types: ['ro'] },
      { customerId: 'beta', context: SAME, types: ['rw'] },
    ]);
    expect(typesByGroup((await app.ok(Effective, { login: 'bob' })).customerUser!.effectivePermissions).support).toEqual(['ro', 'rw']);
    const single = await app.ok(SetCustomerGroup, { customerId: 'beta', groupId: support, context: SAME, types: [] });
    expect(single.setCustomerGroup.groupPermissions).toEqual([]);
    expect(typesByGroup((await app.ok(Effective, { login: 'bob' })).customerUser!.effectivePermissions).support).toBeUndefined();
  });

  it('lets invalid groups grant nothing', async () => {
    await app.ok(UpdateGroup, { id: support, input: { validity: 'INVALID' } });
    try {
      const { groupPermissions, effectivePermissions } = (await app.ok(Effective, { login: 'ann' })).customerUser!;
      expect(groupPermissions.map((p) => p.group.name)).toContain('support'); // the row is kept
      expect(effectivePermissions.map((e) => e.group.name)).not.toContain('support');
    } finally {
      await app.ok(UpdateGroup, { id: support, input: { validity: 'VALID' } });
    }
  });

  it('refuses unknown users, customers, groups, types and contexts', async () => {
    const cases: [Promise<unknown>, Record<string, unknown>][] = [
      [app.request(SetUserGroups, { login: 'ghost', permissions: [] }), { code: 'NOT_FOUND', field: 'login' }],
      [app.request(SetUserGroups, { login: 'ann', permissions: [{ groupId: 999, types: ['ro'] }] }), { code: 'NOT_FOUND', field: 'groupId' }],
      [app.request(SetUserGroup, { login: 'ann', groupId: sales, types: ['owner'] }), { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_PERMISSION_TYPE' }],
      [app.request(SetGroupUsers, { groupId: sales, permissions: [{ login: 'ghost', types: ['ro'] }] }), { code: 'NOT_FOUND' }],
      [app.request(SetCustomerGroups, { customerId: 'nowhere', permissions: [] }), { code: 'NOT_FOUND', field: 'customerId' }],
      [
        app.request(SetCustomerGroup, { customerId: 'acme', groupId: sales, context: OTHER, types: ['ro'] }),
        { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_PERMISSION_CONTEXT' },
      ],
      [app.request(SetGroupCustomers, { groupId: 999, permissions: [] }), { code: 'NOT_FOUND' }],
    ];
    for (const [request, expected] of cases) expect(onlyError((await request) as never).extensions).toMatchObject(expected);
  });
});

describe('the other-customers context', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      overrides: { CustomerGroupSupport: 1, CustomerGroupPermissionContext: { '100-CustomerID-other': { Enabled: 1 } } },
    });
    for (const customerId of ['acme', 'beta', 'gamma', 'dormant']) await addCustomer(app, { customerId });
    const UpdateCustomer = graphql(`mutation DormantCustomer($id: String!) { updateCustomer(customerId: $id, input: { validity: INVALID }) { customerId } }`);
    await app.ok(UpdateCustomer, { id: 'dormant' });
    await addCustomerUser(app, { login: 'ann', customerId: 'acme' });
  });
  afterAll(() => app.close());

  it("shows own customers as direct and those reached through a group's other-context grant as indirect", async () => {
    const partners = (await app.ok(CreateGroup, { input: { name: 'partners' } })).createGroup.id;
    await app.ok(SetCustomerGroup, { customerId: 'acme', groupId: partners, context: OTHER, types: ['ro'] });
    for (const customerId of ['beta', 'dormant']) await app.ok(SetCustomerGroup, { customerId, groupId: partners, context: SAME, types: ['rw'] });
    await app.ok(SetCustomerGroup, { customerId: 'gamma', groupId: partners, context: OTHER, types: ['ro'] }); // other context only: not reached
    const access = (await app.ok(Access, { login: 'ann' })).customerUser!.customerAccess;
    expect(access).toEqual([
      { customer: { customerId: 'acme' }, direct: true, indirect: false, viaGroups: [] },
      { customer: { customerId: 'beta' }, direct: false, indirect: true, viaGroups: [{ name: 'partners' }] },
    ]);
    // The other context grants no group permission of its own.
    expect((await app.ok(Effective, { login: 'ann' })).customerUser!.effectivePermissions.map((e) => e.group.name)).toEqual(['users']);
  });
});
