import { addCustomer, addCustomerUser, CreateCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

/** Logins, emails and CustomerIDs: one spelling per identity, nothing hidden in them. */

const PRECOMPOSED = 'jos\u00e9';
const DECOMPOSED = 'jose\u0301';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await addCustomer(app, { customerId: `caf${'e\u0301'}` }); // stored as café
});
afterAll(() => app.close());

interface UserResult {
  customerUser: { login: string; email: string; customerId: string } | null;
}

const byLogin = (login: string) => app.ok<UserResult, unknown>(`query ($l: String!) { customerUser(login: $l) { login email customerId } }`, { l: login });
const updateUser = `mutation ($login: String!, $input: CustomerUserUpdateInput!) { updateCustomerUser(login: $login, input: $input) { login } }`;

describe('NFC normalisation', () => {
  // (OTOBO's email syntax check allows ASCII only, so emails are NFC-normalised in the unit tests.)
  it('stores a decomposed login and CustomerID precomposed; both spellings find the user; the other spelling conflicts', async () => {
    const created = await addCustomerUser(app, { login: DECOMPOSED, email: 'jose@acme.test', customerId: 'cafe\u0301' });
    expect(created.customerUser).toEqual({ login: PRECOMPOSED, email: 'jose@acme.test', customerId: 'caf\u00e9', validity: 'VALID' });

    for (const spelling of [PRECOMPOSED, DECOMPOSED, 'JOSE\u0301']) expect((await byLogin(spelling)).customerUser?.login).toBe(PRECOMPOSED);
    const twin = await app.request(CreateCustomerUser, {
      input: { login: PRECOMPOSED, email: 'other@acme.test', customerId: 'caf\u00e9', firstName: 'A', lastName: 'B' },
    });
    expect(onlyError(twin).extensions).toMatchObject({ code: 'CONFLICT', field: 'login' });
  });

  it('filters and the customer lookup accept either spelling', async () => {
    const search = `query ($f: CustomerUserFilter, $e: String) { customerUsers(filter: $f, email: $e) { nodes { login } } }`;
    for (const variables of [{ f: { login: DECOMPOSED } }, { f: { login: 'jose\u0301*' } }, { f: { customerIds: ['cafe\u0301'] } }, { f: { customerId: 'cafe\u0301' } }]) {
      const result = await app.ok<{ customerUsers: { nodes: { login: string }[] } }, unknown>(search, variables);
      expect(result.customerUsers.nodes.map((n) => n.login)).toContain(PRECOMPOSED);
    }
    const excluded = await app.ok<{ customerUsers: { nodes: { login: string }[] } }, unknown>(search, { f: { excludeLogins: [DECOMPOSED] } });
    expect(excluded.customerUsers.nodes.map((n) => n.login)).not.toContain(PRECOMPOSED);
    const customer = await app.ok<{ customer: { customerId: string } | null }, unknown>(`query ($id: String!) { customer(customerId: $id) { customerId } }`, {
      id: 'cafe\u0301',
    });
    expect(customer.customer?.customerId).toBe('caf\u00e9');
  });

  it('updates by either spelling, and a rename is normalised too', async () => {
    await addCustomerUser(app, { login: 'rene', customerId: 'caf\u00e9' });
    const renamed = await app.ok<{ updateCustomerUser: { login: string } }, unknown>(updateUser, { login: 'rene', input: { login: 'rene\u0301e' } });
    expect(renamed.updateCustomerUser.login).toBe('ren\u00e9e');
    const patched = await app.ok<{ updateCustomerUser: { login: string } }, unknown>(updateUser, { login: 'rene\u0301e', input: { phone: '1' } });
    expect(patched.updateCustomerUser.login).toBe('ren\u00e9e');
  });
});

describe('hidden characters', () => {
  it.each([
    ['U+0085', 'next\u0085line'],
    ['U+202E', 'admin\u202etxt.exe'],
    ['U+200B', 'zero\u200bwidth'],
    ['U+2028', 'line\u2028sep'],
  ])('%s in a login is refused on create, naming the code point', async (codePoint, login) => {
    const result = await app.request(CreateCustomerUser, {
      input: { login, email: 'hidden@acme.test', customerId: 'caf\u00e9', firstName: 'A', lastName: 'B' },
    });
    expect(onlyError(result)).toMatchObject({
      message: `login must not contain control, bidi or invisible characters (found ${codePoint})`,
      extensions: { code: 'BAD_USER_INPUT', field: 'login', reason: 'INVISIBLE_CHARACTER' },
    });
  });

  it('is refused in a rename, an email and a CustomerID, and nothing is written', async () => {
    await addCustomerUser(app, { login: 'plain', customerId: 'caf\u00e9' });
    const rename = await app.request(updateUser, { login: 'plain', input: { login: 'pla\u200din' } });
    expect(onlyError(rename).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'login', reason: 'INVISIBLE_CHARACTER' });
    const email = await app.request(updateUser, { login: 'plain', input: { email: 'pl\u2066ain@acme.test' } });
    expect(onlyError(email).extensions).toMatchObject({ field: 'email', reason: 'INVISIBLE_CHARACTER' });
    const customer = await app.request(`mutation { createCustomer(input: { customerId: "bidi\\u202eco", name: "Bidi" }) { customerId } }`);
    expect(onlyError(customer).extensions).toMatchObject({ field: 'customerId', reason: 'INVISIBLE_CHARACTER' });
    expect((await byLogin('plain')).customerUser).toMatchObject({ login: 'plain', email: 'plain@acme.test' });
  });
});
