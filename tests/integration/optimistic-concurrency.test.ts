import { graphql } from '../generated';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const UserVersion = graphql(`query VersionOfUser($login: String!) { customerUser(login: $login) { version phone } }`);
const UpdateUser = graphql(`
  mutation VersionedUserUpdate($login: String!, $input: CustomerUserUpdateInput!, $expectedVersion: String) {
    updateCustomerUser(login: $login, input: $input, expectedVersion: $expectedVersion) { version phone email }
  }
`);
const CustomerVersion = graphql(`query VersionOfCustomer($id: String!) { customer(customerId: $id) { version name } }`);
const UpdateCustomer = graphql(`
  mutation VersionedCustomerUpdate($id: String!, $input: CustomerUpdateInput!, $expectedVersion: String) {
    updateCustomer(customerId: $id, input: $input, expectedVersion: $expectedVersion) { version name }
  }
`);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await addCustomer(app, { customerId: 'ACME', name: 'Acme' });
});
afterAll(() => app.close());

async function userVersion(login: string): Promise<string> {
  return (await app.ok(UserVersion, { login })).customerUser!.version;
}

describe('customer users', () => {
  it('have a version that changes with each write and stays put on reads and no-op writes', async () => {
    await addCustomerUser(app, { login: 'v-reads', customerId: 'ACME', phone: '1' });
    const first = await userVersion('v-reads');
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await userVersion('V-READS')).toBe(first);
    const patched = await app.ok(UpdateUser, { login: 'v-reads', input: { phone: '2' } });
    expect(patched.updateCustomerUser.version).not.toBe(first);
    expect(await userVersion('v-reads')).toBe(patched.updateCustomerUser.version);
    // change_time has whole seconds: the no-op write lands in a later second than the patch.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await app.ok(UpdateUser, { login: 'v-reads', input: { phone: '2' } });
    expect(await userVersion('v-reads')).toBe(patched.updateCustomerUser.version);
  });

  it('accept an update based on the current version, plain fields and checked fields alike', async () => {
    await addCustomerUser(app, { login: 'v-current', customerId: 'ACME', phone: '1' });
    const plain = await app.ok(UpdateUser, { login: 'v-current', input: { phone: '2' }, expectedVersion: await userVersion('v-current') });
    expect(plain.updateCustomerUser.phone).toBe('2');
    const checked = await app.ok(UpdateUser, {
      login: 'v-current',
      input: { email: 'v-current-new@acme.test' },
      expectedVersion: plain.updateCustomerUser.version,
    });
    expect(checked.updateCustomerUser.email).toBe('v-current-new@acme.test');
  });

  it('refuse an update based on a stale version with CONFLICT / STALE_VERSION, writing nothing', async () => {
    await addCustomerUser(app, { login: 'v-stale', customerId: 'ACME', phone: 'theirs-before' });
    const seen = await userVersion('v-stale');
    await app.ok(UpdateUser, { login: 'v-stale', input: { phone: 'theirs' } });
    const current = await userVersion('v-stale');
    for (const input of [{ phone: 'mine' }, { email: 'v-stale-mine@acme.test' }, { password: 'a-new-password-1' }]) {
      const error = onlyError(await app.request(UpdateUser, { login: 'v-stale', input, expectedVersion: seen }));
      expect(error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'STALE_VERSION', field: 'expectedVersion', currentVersion: current });
    }
    const after = (await app.ok(UserVersion, { login: 'v-stale' })).customerUser!;
    expect(after).toEqual({ version: current, phone: 'theirs' });
  });

  it('let exactly one of two writers based on the same version win', async () => {
    await addCustomerUser(app, { login: 'v-race', customerId: 'ACME', phone: '0' });
    const seen = await userVersion('v-race');
    const results = await Promise.all(
      ['a', 'b', 'c'].map((phone) => app.request(UpdateUser, { login: 'v-race', input: { phone }, expectedVersion: seen })),
    );
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.reason === 'STALE_VERSION')).toHaveLength(2);
    expect((await app.ok(UserVersion, { login: 'v-race' })).customerUser!.phone).toBe(won[0]!.data!.updateCustomerUser.phone);
  });

  it('change their version when only the password changes', async () => {
    await addCustomerUser(app, { login: 'v-password', customerId: 'ACME' });
    const before = await userVersion('v-password');
    // change_time has second resolution in OTOBO's schema: wait for the next second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await app.ok(UpdateUser, { login: 'v-password', input: { password: 'another-password-9' }, expectedVersion: before });
    expect(await userVersion('v-password')).not.toBe(before);
  });
});

describe('customers', () => {
  it('have a version, and a stale one is refused with CONFLICT / STALE_VERSION', async () => {
    await addCustomer(app, { customerId: 'v-co', name: 'Versioned' });
    const seen = (await app.ok(CustomerVersion, { id: 'v-co' })).customer!.version;
    const renamed = await app.ok(UpdateCustomer, { id: 'v-co', input: { name: 'Versioned 2' }, expectedVersion: seen });
    expect(renamed.updateCustomer.version).not.toBe(seen);
    const error = onlyError(await app.request(UpdateCustomer, { id: 'v-co', input: { name: 'Versioned 3' }, expectedVersion: seen }));
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'STALE_VERSION', currentVersion: renamed.updateCustomer.version });
    expect((await app.ok(CustomerVersion, { id: 'v-co' })).customer!.name).toBe('Versioned 2');
  });
});
