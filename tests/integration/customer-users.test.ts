import { sql } from 'drizzle-orm';
import { resultRows } from '../../src/db/client';
import { verifyPassword } from '../../src/passwords';
import { graphql } from '../generated';
import { addCustomer, addCustomerUser, CreateCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const CustomerUserByLogin = graphql(`
  query CustomerUserByLogin($login: String!) {
    customerUser(login: $login) {
      login email customerId title firstName lastName phone fax mobile street zip city country comment validity
      fullName mailString source createdAt changedAt createdBy { login } changedBy { login }
      customer { customerId name }
    }
  }
`);

const UpdateCustomerUser = graphql(`
  mutation UpdateCustomerUser($login: String!, $input: CustomerUserUpdateInput!) {
    updateCustomerUser(login: $login, input: $input) { login email customerId title firstName lastName phone validity }
  }
`);

const History = graphql(`
  query UserHistory($login: String!) {
    customerUser(login: $login) {
      history { action actor agent { login } occurredAt changes { field oldValue newValue } }
    }
  }
`);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function storedPassword(login: string): Promise<string | null> {
  const rows = resultRows<{ pw: string | null }>(
    await app.app.database.db.execute(sql`SELECT pw FROM customer_user WHERE login = ${login}`),
  );
  return rows[0]?.pw ?? null;
}

describe('the first customer user (its customer comes first)', () => {
  it('cannot be added before any customer exists', async () => {
    const empty = await startTestApp();
    try {
      const result = await empty.request(CreateCustomerUser, {
        input: { login: 'first', email: 'first@acme.test', customerId: 'acme', firstName: 'A', lastName: 'B' },
      });
      const error = onlyError(result);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId', reason: 'NO_CUSTOMER_EXISTS' });
      expect(error.message).toMatch(/create a customer/);
      expect((await empty.ok(CustomerUserByLogin, { login: 'first' })).customerUser).toBeNull();
    } finally {
      await empty.close();
    }
  });
});

describe('creating customer users', () => {
  beforeAll(async () => {
    await addCustomer(app, { customerId: 'ACME', name: 'Acme Inc' });
  });

  it('stores all Map fields, the customer\'s spelling of its ID, and who created it', async () => {
    await app.ok(CreateCustomerUser, {
      input: {
        login: 'jdoe', email: 'John.Doe@acme.test', customerId: 'acme', title: 'Mr.', firstName: 'John', lastName: 'Doe',
        phone: '+49 30 1', fax: '2', mobile: '3', street: 'Road 4', zip: '5', city: 'Town', country: 'DE', comment: 'note',
        password: 'Secret-123',
      },
    });
    const { customerUser } = await app.ok(CustomerUserByLogin, { login: 'JDOE' });
    expect(customerUser).toMatchObject({
      login: 'jdoe', email: 'John.Doe@acme.test', customerId: 'ACME', title: 'Mr.', firstName: 'John', lastName: 'Doe',
      phone: '+49 30 1', fax: '2', mobile: '3', street: 'Road 4', zip: '5', city: 'Town', country: 'DE', comment: 'note',
      validity: 'VALID', fullName: 'Mr. John Doe', mailString: '"John Doe" <John.Doe@acme.test>', source: 'CustomerUser',
      createdBy: { login: 'root@localhost' }, changedBy: { login: 'root@localhost' },
      customer: { customerId: 'ACME', name: 'Acme Inc' },
    });
    expect(customerUser?.createdAt).toEqual(customerUser?.changedAt);
  });

  it('stores the password hashed in OTOBO\'s bcrypt format and never exposes it', async () => {
    await addCustomerUser(app, { login: 'hashed', customerId: 'ACME', password: 'Pa55word!' });
    const stored = await storedPassword('hashed');
    expect(stored).toMatch(/^BCRYPT:4:[0-9A-Za-z]{16}:.{31}$/);
    expect(await verifyPassword('Pa55word!', stored)).toBe(true);
    expect(await verifyPassword('wrong', stored)).toBe(false);
    const result = await app.request(`{ customerUser(login: "hashed") { password } }`);
    expect(onlyError(result).message).toMatch(/Cannot query field "password"/);
  });

  it('generates a 12-character password when none is given and returns it once', async () => {
    const created = await app.ok(CreateCustomerUser, {
      input: { login: 'nopass', email: 'nopass@acme.test', customerId: 'ACME', firstName: 'No', lastName: 'Pass' },
    });
    const generated = created.createCustomerUser.generatedPassword;
    expect(generated).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(await verifyPassword(generated!, await storedPassword('nopass'))).toBe(true);
    const empty = await addCustomerUser(app, { login: 'emptypass', customerId: 'ACME', password: '' });
    expect(empty.generatedPassword).toMatch(/^[0-9A-Za-z]{12}$/);
    const given = await addCustomerUser(app, { login: 'givenpass', customerId: 'ACME', password: 'Mine-456' });
    expect(given.generatedPassword).toBeNull();
  });

  it('refuses an unknown CustomerID once customers exist', async () => {
    const result = await app.request(CreateCustomerUser, {
      input: { login: 'stray', email: 'stray@acme.test', customerId: 'nope', firstName: 'S', lastName: 'T' },
    });
    expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId', reason: 'UNKNOWN_CUSTOMER' });
  });

  it('refuses empty required fields, listing every one', async () => {
    const result = await app.request(CreateCustomerUser, {
      input: { login: 'blank', email: 'blank@acme.test', customerId: 'ACME', firstName: ' ', lastName: '' },
    });
    const error = onlyError(result);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'firstName' });
    expect(error.extensions?.invalidFields).toEqual([
      { field: 'firstName', message: 'firstName is required' },
      { field: 'lastName', message: 'lastName is required' },
    ]);
  });

  it('refuses an existing login, case-insensitively', async () => {
    await addCustomerUser(app, { login: 'Taken', customerId: 'ACME' });
    const result = await app.request(CreateCustomerUser, {
      input: { login: 'tAKEN', email: 'other@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B' },
    });
    expect(onlyError(result).extensions).toMatchObject({ code: 'CONFLICT', field: 'login' });
  });

  it('refuses an email used by another user, case-insensitively and even if that user is invalid', async () => {
    await addCustomerUser(app, { login: 'mailer', customerId: 'ACME', email: 'shared@acme.test', validity: 'INVALID' });
    const result = await app.request(CreateCustomerUser, {
      input: { login: 'mailer2', email: 'SHARED@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B' },
    });
    expect(onlyError(result).extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    expect((await app.ok(CustomerUserByLogin, { login: 'mailer2' })).customerUser).toBeNull();
  });

  it('keeps emails unique case-insensitively even when searches are case-sensitive', async () => {
    const strict = await startTestApp({ overrides: { CustomerUser: { Params: { Table: 'customer_user', SearchCaseSensitive: 1 } } } });
    try {
      await addCustomer(strict, { customerId: 'ACME' });
      await addCustomerUser(strict, { login: 'upper', customerId: 'ACME', email: 'Same@acme.test' });
      const result = await strict.request(CreateCustomerUser, {
        input: { login: 'lower', email: 'same@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B' },
      });
      expect(onlyError(result).extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    } finally {
      await strict.close();
    }
  });

  it('allows a shared email when CustomerUserEmailUniqCheck is off', async () => {
    const relaxed = await startTestApp({ overrides: { CustomerUser: { CustomerUserEmailUniqCheck: 0 } } });
    try {
      await addCustomer(relaxed, { customerId: 'ACME' });
      await addCustomerUser(relaxed, { login: 'one', customerId: 'ACME', email: 'same@acme.test' });
      await addCustomerUser(relaxed, { login: 'two', customerId: 'ACME', email: 'same@acme.test' });
      expect((await relaxed.ok(CustomerUserByLogin, { login: 'two' })).customerUser?.email).toBe('same@acme.test');
    } finally {
      await relaxed.close();
    }
  });

  it('checks the email syntax of valid users only', async () => {
    for (const email of ['not-an-address', 'john@example.com', 'a..b@acme.test']) {
      const result = await app.request(CreateCustomerUser, {
        input: { login: 'badmail', email, customerId: 'ACME', firstName: 'A', lastName: 'B' },
      });
      expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    }
    const invalidUser = await addCustomerUser(app, { login: 'oldmail', customerId: 'ACME', email: 'legacy-address', validity: 'INVALID_TEMPORARILY' });
    expect(invalidUser.customerUser).toMatchObject({ email: 'legacy-address', validity: 'INVALID_TEMPORARILY' });
  });

  it('refuses values longer than their column and passwords over 72 bytes, writing nothing', async () => {
    const long = await app.request(CreateCustomerUser, {
      input: { login: 'l'.repeat(192), email: 'long@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B' },
    });
    expect(onlyError(long).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'login' });
    const longPassword = await app.request(CreateCustomerUser, {
      input: { login: 'longpw', email: 'longpw@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B', password: 'ä'.repeat(37) },
    });
    expect(onlyError(longPassword).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    expect((await app.ok(CustomerUserByLogin, { login: 'longpw' })).customerUser).toBeNull();
  });

  it('refuses control characters in a login and trims surrounding blanks', async () => {
    const result = await app.request(CreateCustomerUser, {
      input: { login: 'bad\nlogin', email: 'ctl@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B' },
    });
    expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'login' });
    const trimmed = await addCustomerUser(app, { login: '  padded  ', customerId: 'ACME', email: ' padded@acme.test ' });
    expect(trimmed.customerUser).toMatchObject({ login: 'padded', email: 'padded@acme.test' });
  });

  it('records the creation in the history without the password', async () => {
    await addCustomerUser(app, { login: 'audited', customerId: 'ACME', firstName: 'Aud', lastName: 'Ited' });
    const { customerUser } = await app.ok(History, { login: 'audited' });
    expect(customerUser?.history).toHaveLength(1);
    const [entry] = customerUser!.history;
    expect(entry).toMatchObject({ action: 'CREATE', actor: 'token:test-admin', agent: { login: 'root@localhost' } });
    expect(Date.now() - Date.parse(entry!.occurredAt)).toBeLessThan(60_000);
    expect(entry!.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(entry!.changes.slice(0, 3)).toEqual([
      { field: 'firstName', oldValue: null, newValue: 'Aud' },
      { field: 'lastName', oldValue: null, newValue: 'Ited' },
      { field: 'login', oldValue: null, newValue: 'audited' },
    ]);
    expect(entry!.changes).toContainEqual({ field: 'password', oldValue: null, newValue: '(set)' });
    expect(JSON.stringify(entry)).not.toContain('Secret-123');
  });
});

describe('updating customer users', () => {
  beforeAll(async () => {
    await addCustomer(app, { customerId: 'OTHERCO', name: 'Other Co' });
  });

  it('patches: omitted fields stay, null clears, required fields cannot be cleared', async () => {
    await addCustomerUser(app, { login: 'patch', customerId: 'ACME', title: 'Dr.', phone: '123', firstName: 'Pat', lastName: 'Ch' });
    const { updateCustomerUser } = await app.ok(UpdateCustomerUser, { login: 'PATCH', input: { phone: '456', title: null } });
    expect(updateCustomerUser).toMatchObject({ login: 'patch', title: null, phone: '456', firstName: 'Pat', lastName: 'Ch' });

    const cleared = await app.request(UpdateCustomerUser, { login: 'patch', input: { lastName: null } });
    expect(onlyError(cleared).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lastName' });
    expect(onlyError(cleared).message).toMatch(/cannot be cleared/);
    expect((await app.ok(CustomerUserByLogin, { login: 'patch' })).customerUser?.lastName).toBe('Ch');
  });

  it('changes nothing, not even the change time, for an empty patch', async () => {
    await addCustomerUser(app, { login: 'idle', customerId: 'ACME' });
    const before = (await app.ok(CustomerUserByLogin, { login: 'idle' })).customerUser;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // change_time has whole seconds
    await app.ok(UpdateCustomerUser, { login: 'idle', input: {} });
    expect((await app.ok(CustomerUserByLogin, { login: 'idle' })).customerUser?.changedAt).toBe(before?.changedAt);
    expect((await app.ok(History, { login: 'idle' })).customerUser?.history).toHaveLength(1);
  });

  it('answers NOT_FOUND for an unknown login', async () => {
    const result = await app.request(UpdateCustomerUser, { login: 'ghost', input: { phone: '1' } });
    expect(onlyError(result).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'login' });
  });

  it('renames a login and carries its relations and history along', async () => {
    await addCustomerUser(app, { login: 'before', customerId: 'ACME' });
    const db = app.app.database.db;
    await db.execute(sql`INSERT INTO customer_user_customer (user_id, customer_id, create_time, create_by, change_time, change_by)
      VALUES ('before', 'OTHERCO', now(), 1, now(), 1)`);
    await db.execute(sql`INSERT INTO group_customer_user (user_id, group_id, permission_key, permission_value, create_time, create_by, change_time, change_by)
      VALUES ('BEFORE', 1, 'rw', 1, now(), 1, now(), 1)`);
    await db.execute(sql`INSERT INTO service (id, name, valid_id, create_time, create_by, change_time, change_by) VALUES (100, 'IT', 1, now(), 1, now(), 1)`);
    await db.execute(sql`INSERT INTO service_customer_user (customer_user_login, service_id, create_time, create_by) VALUES ('before', 100, now(), 1)`);
    await db.execute(sql`INSERT INTO customer_preferences (user_id, preferences_key, preferences_value) VALUES ('before', 'UserLanguage', 'de')`);

    const { updateCustomerUser } = await app.ok(UpdateCustomerUser, { login: 'before', input: { login: 'after' } });
    expect(updateCustomerUser.login).toBe('after');
    expect((await app.ok(CustomerUserByLogin, { login: 'before' })).customerUser).toBeNull();

    const references = resultRows<{ n: number }>(await db.execute(sql`
      SELECT (SELECT count(*) FROM customer_user_customer WHERE user_id = 'after')
           + (SELECT count(*) FROM group_customer_user WHERE user_id = 'after')
           + (SELECT count(*) FROM service_customer_user WHERE customer_user_login = 'after')
           + (SELECT count(*) FROM customer_preferences WHERE user_id = 'after') AS n`));
    expect(Number(references[0]!.n)).toBe(4);

    const { customerUser } = await app.ok(History, { login: 'after' });
    expect(customerUser?.history.map((h) => h.action)).toEqual(['UPDATE', 'CREATE']);
    expect(customerUser?.history[0]?.changes).toEqual([{ field: 'login', oldValue: 'before', newValue: 'after' }]);
  });

  it('refuses a rename onto an existing login but allows a change of case', async () => {
    await addCustomerUser(app, { login: 'holder', customerId: 'ACME' });
    await addCustomerUser(app, { login: 'mover', customerId: 'ACME' });
    const result = await app.request(UpdateCustomerUser, { login: 'mover', input: { login: 'HOLDER' } });
    expect(onlyError(result).extensions).toMatchObject({ code: 'CONFLICT', field: 'login' });
    expect((await app.ok(UpdateCustomerUser, { login: 'mover', input: { login: 'Mover' } })).updateCustomerUser.login).toBe('Mover');
  });

  it('checks a changed CustomerID and email like on create', async () => {
    await addCustomerUser(app, { login: 'switcher', customerId: 'ACME' });
    const unknown = await app.request(UpdateCustomerUser, { login: 'switcher', input: { customerId: 'nowhere' } });
    expect(onlyError(unknown).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customerId' });
    const used = await app.request(UpdateCustomerUser, { login: 'switcher', input: { email: 'JOHN.DOE@acme.test' } });
    expect(onlyError(used).extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    const moved = await app.ok(UpdateCustomerUser, { login: 'switcher', input: { customerId: 'otherco', email: 'Switcher@acme.test' } });
    expect(moved.updateCustomerUser).toMatchObject({ customerId: 'OTHERCO', email: 'Switcher@acme.test' });
  });

  it('keeps the user\'s own email when only its case changes', async () => {
    await addCustomerUser(app, { login: 'casemail', customerId: 'ACME', email: 'casemail@acme.test' });
    const { updateCustomerUser } = await app.ok(UpdateCustomerUser, { login: 'casemail', input: { email: 'CaseMail@acme.test' } });
    expect(updateCustomerUser.email).toBe('CaseMail@acme.test');
  });

  it('sets, keeps and removes passwords', async () => {
    await addCustomerUser(app, { login: 'pwuser', customerId: 'ACME', password: 'First-111' });
    await app.ok(UpdateCustomerUser, { login: 'pwuser', input: { phone: '1' } });
    expect(await verifyPassword('First-111', await storedPassword('pwuser'))).toBe(true);
    await app.ok(UpdateCustomerUser, { login: 'pwuser', input: { password: 'Second-222' } });
    expect(await verifyPassword('Second-222', await storedPassword('pwuser'))).toBe(true);
    const empty = await app.request(UpdateCustomerUser, { login: 'pwuser', input: { password: '' } });
    expect(onlyError(empty).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    await app.ok(UpdateCustomerUser, { login: 'pwuser', input: { password: null } });
    expect(await storedPassword('pwuser')).toBeNull();
  });

  it('deactivates instead of deleting; the user stays readable', async () => {
    await addCustomerUser(app, { login: 'leaver', customerId: 'ACME' });
    await app.ok(UpdateCustomerUser, { login: 'leaver', input: { validity: 'INVALID' } });
    expect((await app.ok(CustomerUserByLogin, { login: 'leaver' })).customerUser?.validity).toBe('INVALID');
    const noDelete = await app.request(`mutation { deleteCustomerUser(login: "leaver") }`);
    expect(onlyError(noDelete).message).toMatch(/Cannot query field "deleteCustomerUser"/);
  });

  it('records old and new values of an update and who made it', async () => {
    await addCustomerUser(app, { login: 'tracked', customerId: 'ACME', phone: '111' });
    await app.ok(UpdateCustomerUser, { login: 'tracked', input: { phone: '222', validity: 'INVALID' } });
    const [latest] = (await app.ok(History, { login: 'tracked' })).customerUser!.history;
    expect(latest).toMatchObject({ action: 'UPDATE', actor: 'token:test-admin' });
    expect(latest!.changes).toEqual([
      { field: 'phone', oldValue: '111', newValue: '222' },
      { field: 'validity', oldValue: 'VALID', newValue: 'INVALID' },
    ]);
  });
});

describe('read-only backends', () => {
  it('refuse creates and updates with READ_ONLY_BACKEND, and still serve reads', async () => {
    const testDatabase = await createTestDatabase();
    try {
      const writable = await startTestApp({ database: testDatabase });
      await addCustomer(writable, { customerId: 'ACME' });
      await addCustomerUser(writable, { login: 'existing', customerId: 'ACME' });
      await writable.close();

      const readOnly = await startTestApp({ database: testDatabase, overrides: { CustomerUser: { ReadOnly: 1 }, CustomerCompany: { ReadOnly: 1 } } });
      try {
        const create = await readOnly.request(CreateCustomerUser, {
          input: { login: 'newbie', email: 'newbie@acme.test', customerId: 'ACME', firstName: 'N', lastName: 'B' },
        });
        expect(onlyError(create).extensions?.code).toBe('READ_ONLY_BACKEND');
        const update = await readOnly.request(UpdateCustomerUser, { login: 'existing', input: { phone: '1' } });
        expect(onlyError(update).extensions?.code).toBe('READ_ONLY_BACKEND');
        const company = await readOnly.request(`mutation { createCustomer(input: { customerId: "X", name: "X" }) { customerId } }`);
        expect(onlyError(company).extensions?.code).toBe('READ_ONLY_BACKEND');
        expect((await readOnly.ok(CustomerUserByLogin, { login: 'existing' })).customerUser?.phone).toBeNull();
      } finally {
        await readOnly.close();
      }
    } finally {
      await testDatabase.dispose();
    }
  });
});

describe('CustomerCompanySupport 0', () => {
  it('gives a customer user no company data, though a customer with its CustomerID exists', async () => {
    const standalone = await startTestApp({ overrides: { CustomerUser: { CustomerCompanySupport: 0 } } });
    try {
      await addCustomer(standalone, { customerId: 'acme' });
      await addCustomerUser(standalone, { login: 'solo', customerId: 'ACME' });
      const Solo = graphql(`query SoloUser { customerUser(login: "solo") { customerId customer { name } } }`);
      expect((await standalone.ok(Solo)).customerUser).toEqual({ customerId: 'ACME', customer: null });
      const Listed = graphql(`query SoloListed { customerUsers(search: "solo") { nodes { customer { name } } } }`);
      expect((await standalone.ok(Listed)).customerUsers.nodes).toEqual([{ customer: null }]);
    } finally {
      await standalone.close();
    }
  });
});
