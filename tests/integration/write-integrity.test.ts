import { graphql } from '../generated';
import { addCustomer, addCustomerUser, CreateCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const UserCustomer = graphql(`query IntegrityUser($login: String!) { customerUser(login: $login) { login customerId } }`);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await addCustomer(app, { customerId: 'ACME' });
  // Make the audit log refuse particular keys, to fail a write after its data rows were written.
  await app.testDatabase.rawQuery(
    `ALTER TABLE customer_graphql.gql_audit_log ADD CONSTRAINT test_refuse CHECK (entity_key NOT IN ('atomic', 'atomic-co'))`,
  );
});
afterAll(() => app.close());

describe('one transaction per mutation', () => {
  it('writes no customer user when recording the change fails', async () => {
    const result = await app.request(CreateCustomerUser, {
      input: { login: 'atomic', email: 'atomic@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B' },
    });
    expect(onlyError(result).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await app.ok(UserCustomer, { login: 'atomic' })).customerUser).toBeNull();
  });

  it('rolls back a whole CustomerID rename cascade when its last step fails', async () => {
    await addCustomer(app, { customerId: 'cascade-co' });
    for (const login of ['c1', 'c2', 'c3']) await addCustomerUser(app, { login, customerId: 'cascade-co' });
    const result = await app.request(
      graphql(`mutation IntegrityRename { updateCustomer(customerId: "cascade-co", input: { customerId: "atomic-co" }) { customerId } }`),
    );
    expect(onlyError(result).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    for (const login of ['c1', 'c2', 'c3']) {
      expect((await app.ok(UserCustomer, { login })).customerUser?.customerId).toBe('cascade-co');
    }
  });
});

describe('a patch of plain fields (one statement: row lock, update, audit row)', () => {
  const Patch = graphql(`
    mutation IntegrityPlainPatch($login: String!, $input: CustomerUserUpdateInput!) { updateCustomerUser(login: $login, input: $input) { login phone title } }
  `);
  const Phone = graphql(`query IntegrityPhone($login: String!) { customerUser(login: $login) { phone history { changes { field oldValue newValue } } } }`);

  it('is sent as a single statement, and audited', async () => {
    await addCustomerUser(app, { login: 'single', customerId: 'ACME', phone: '1' });
    const before = app.testDatabase.database.statements.count;
    const data = await app.ok(Patch, { login: 'SINGLE', input: { phone: '2', title: 'Dr.' } });
    expect(app.testDatabase.database.statements.count - before).toBe(1);
    expect(data.updateCustomerUser).toEqual({ login: 'single', phone: '2', title: 'Dr.' });
    const { customerUser } = await app.ok(Phone, { login: 'single' });
    expect(customerUser!.history[0]!.changes).toEqual([
      { field: 'title', oldValue: null, newValue: 'Dr.' },
      { field: 'phone', oldValue: '1', newValue: '2' },
    ]);
  });

  it('writes nothing when its audit row fails', async () => {
    await addCustomerUser(app, { login: 'unaudited', customerId: 'ACME', phone: 'kept' });
    await app.testDatabase.rawQuery(`ALTER TABLE customer_graphql.gql_audit_log ADD CONSTRAINT test_refuse_patch CHECK (entity_key <> 'unaudited') NOT VALID`);
    try {
      const result = await app.request(Patch, { login: 'unaudited', input: { phone: 'lost' } });
      expect(onlyError(result).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await app.testDatabase.rawQuery(`ALTER TABLE customer_graphql.gql_audit_log DROP CONSTRAINT test_refuse_patch`);
    }
    expect((await app.ok(Phone, { login: 'unaudited' })).customerUser!.phone).toBe('kept');
  });

  it('records no change when the value is the one stored', async () => {
    await addCustomerUser(app, { login: 'unchanged', customerId: 'ACME', phone: 'p' });
    await app.ok(Patch, { login: 'unchanged', input: { phone: 'p' } });
    expect((await app.ok(Phone, { login: 'unchanged' })).customerUser!.history).toHaveLength(1); // the create
  });

  it('answers NOT_FOUND for an unknown login and BAD_USER_INPUT for a bad value, writing nothing', async () => {
    expect(onlyError(await app.request(Patch, { login: 'nobody', input: { phone: '1' } })).extensions?.code).toBe('NOT_FOUND');
    await addCustomerUser(app, { login: 'toolong', customerId: 'ACME', phone: 'short' });
    const result = await app.request(Patch, { login: 'toolong', input: { phone: 'x'.repeat(151) } });
    expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
    expect((await app.ok(Phone, { login: 'toolong' })).customerUser!.phone).toBe('short');
  });

  it('takes turns with a concurrent patch that also renames: the history chains exactly', async () => {
    await addCustomerUser(app, { login: 'mixed', customerId: 'ACME', phone: 'start' });
    const [plain, renaming] = await Promise.all([
      app.request(Patch, { login: 'mixed', input: { phone: 'plain' } }),
      app.request(Patch, { login: 'mixed', input: { login: 'mixed2', phone: 'renaming' } }),
    ]);
    expect(renaming.errors).toBeUndefined();
    const { customerUser } = await app.ok(Phone, { login: 'mixed2' });
    const phones = customerUser!.history.flatMap((entry) => entry.changes.filter((c) => c.field === 'phone')).reverse();
    for (let i = 1; i < phones.length; i += 1) expect(phones[i]!.oldValue).toBe(phones[i - 1]!.newValue);
    expect(phones.at(-1)!.newValue).toBe(customerUser!.phone);
    // The plain patch ran first, or found the login renamed away.
    if (plain.errors) expect(onlyError(plain).extensions?.code).toBe('NOT_FOUND');
    else expect(phones.map((c) => c.newValue)).toEqual(['start', 'plain', 'renaming']);
  });
});

describe('concurrent writers', () => {
  it('let exactly one of several simultaneous creates of one login succeed', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.request(CreateCustomerUser, {
          input: { login: 'Racer', email: `racer${i}@acme.test`, customerId: 'ACME', firstName: 'R', lastName: String(i) },
        }),
      ),
    );
    expect(attempts.filter((a) => !a.errors).length).toBe(1);
    for (const failed of attempts.filter((a) => a.errors)) expect(onlyError(failed).extensions?.code).toBe('CONFLICT');
  });

  it('let exactly one of several simultaneous creates with one email succeed', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.request(CreateCustomerUser, {
          input: { login: `mail-racer-${i}`, email: 'Same@acme.test', customerId: 'ACME', firstName: 'R', lastName: String(i) },
        }),
      ),
    );
    expect(attempts.filter((a) => !a.errors).length).toBe(1);
    for (const failed of attempts.filter((a) => a.errors)) expect(onlyError(failed).extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
  });
});

describe('concurrent changes of one record', () => {
  const UpdateUser = graphql(`
    mutation IntegrityUpdate($login: String!, $input: CustomerUserUpdateInput!) { updateCustomerUser(login: $login, input: $input) { login phone } }
  `);
  const UserHistory = graphql(`
    query IntegrityHistory($login: String!) { customerUser(login: $login) { phone history { changes { field oldValue newValue } } } }
  `);

  it('apply one after the other: the history chains exactly to the stored value', async () => {
    await addCustomerUser(app, { login: 'contended', customerId: 'ACME', phone: 'start' });
    const phones = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const results = await Promise.all(phones.map((phone) => app.request(UpdateUser, { login: 'contended', input: { phone } })));
    for (const result of results) expect(result.errors).toBeUndefined();

    const { customerUser } = await app.ok(UserHistory, { login: 'contended' });
    const phoneChanges = customerUser!.history
      .flatMap((entry) => entry.changes.filter((c) => c.field === 'phone'))
      .reverse(); // oldest first
    expect(phoneChanges).toHaveLength(phones.length + 1);
    for (let i = 1; i < phoneChanges.length; i += 1) expect(phoneChanges[i]!.oldValue).toBe(phoneChanges[i - 1]!.newValue);
    expect(phoneChanges.at(-1)!.newValue).toBe(customerUser!.phone);
  });

  it('a patch racing a rename either lands before it or finds no user; it is never lost or mis-recorded', async () => {
    await addCustomerUser(app, { login: 'moving', customerId: 'ACME', phone: 'old' });
    const [rename, patch] = await Promise.all([
      app.request(UpdateUser, { login: 'moving', input: { login: 'moved' } }),
      app.request(UpdateUser, { login: 'moving', input: { phone: 'new' } }),
    ]);
    expect(rename.errors).toBeUndefined();
    const { customerUser } = await app.ok(UserHistory, { login: 'moved' });
    if (patch.errors) {
      expect(onlyError(patch).extensions?.code).toBe('NOT_FOUND');
      expect(customerUser?.phone).toBe('old');
      expect(JSON.stringify(customerUser?.history)).not.toContain('"new"');
    } else {
      expect(customerUser?.phone).toBe('new');
    }
  });

  it('a user created while its customer is renamed ends up with the new CustomerID, or is refused', async () => {
    await addCustomer(app, { customerId: 'RENAMING' });
    const [create, rename] = await Promise.all([
      app.request(CreateCustomerUser, {
        input: { login: 'newcomer', email: 'newcomer@acme.test', customerId: 'RENAMING', firstName: 'N', lastName: 'C' },
      }),
      app.request(graphql(`mutation IntegrityRenameCo { updateCustomer(customerId: "RENAMING", input: { customerId: "RENAMED" }) { customerId } }`)),
    ]);
    expect(rename.errors).toBeUndefined();
    if (create.errors) {
      expect(onlyError(create).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
    } else {
      expect((await app.ok(UserCustomer, { login: 'newcomer' })).customerUser?.customerId).toBe('RENAMED');
    }
  });
});

describe('the change feed (what caches and subscriptions will listen to)', () => {
  it('hears of committed changes only, with the old key of a rename', async () => {
    const events: unknown[] = [];
    const unsubscribe = app.app.feed.subscribe((event) => events.push(event));
    try {
      await addCustomerUser(app, { login: 'heard', customerId: 'ACME' });
      await app.ok(
        graphql(`mutation FeedRename { updateCustomerUser(login: "heard", input: { login: "heard2", phone: "9" }) { login } }`),
      );
      const refused = await app.request(CreateCustomerUser, {
        input: { login: 'atomic', email: 'atomic2@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B' },
      });
      expect(refused.errors).toBeDefined();
      expect(events).toEqual([
        expect.objectContaining({ entityType: 'CustomerUser', key: 'heard', previousKey: null, action: 'create' }),
        { entityType: 'CustomerUser', key: 'heard2', previousKey: 'heard', action: 'update', fields: ['login', 'phone'] },
      ]);
    } finally {
      unsubscribe();
    }
  });
});
