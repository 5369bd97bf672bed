import { graphql } from '../generated';
import type { CustomerCreateInput, CustomerUserCreateInput } from '../generated/graphql';
import type { TestApp } from './test-app';

export const CreateCustomer = graphql(`
  mutation FixtureCreateCustomer($input: CustomerCreateInput!) {
    createCustomer(input: $input) { customerId name validity }
  }
`);

export const CreateCustomerUser = graphql(`
  mutation FixtureCreateCustomerUser($input: CustomerUserCreateInput!) {
    createCustomerUser(input: $input) { generatedPassword customerUser { login email customerId validity } }
  }
`);

export async function addCustomer(app: TestApp, input: Partial<CustomerCreateInput> & { customerId: string }) {
  return (await app.ok(CreateCustomer, { input: { name: `${input.customerId} Ltd`, ...input } })).createCustomer;
}

/** A valid customer user; its customer must exist. */
export async function addCustomerUser(app: TestApp, input: Partial<CustomerUserCreateInput> & { login: string; customerId: string }) {
  const data = await app.ok(CreateCustomerUser, {
    input: { email: `${input.login}@acme.test`, firstName: 'First', lastName: 'Last', password: 'Secret-123', ...input },
  });
  return data.createCustomerUser;
}
