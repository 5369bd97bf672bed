/**
 * The query GraphiQL opens with. No header is prefilled: a placeholder token would be refused, and
 * with it the schema docs. The commented mutations are a working first session (a test runs them):
 * with CustomerCompanySupport a customer user needs an existing customer, so the customer comes first.
 */
export const GRAPHIQL_FIRST_QUERY = `# Data needs an API token: in the Headers tab below, enter
#   {"Authorization": "Bearer <token>"}
# with the token printed at the first start.
#
# A new database is empty. Create a customer first, then its users (a customer
# user's customerId must name an existing customer). Paste these below and run them:
#
#   mutation FirstCustomer {
#     createCustomer(input: { customerId: "ACME", name: "Acme Inc", city: "Berlin" }) { customerId name }
#   }
#
#   mutation FirstCustomerUser {
#     createCustomerUser(input: {
#       login: "jdoe", email: "john.doe@acme.test", customerId: "ACME", firstName: "John", lastName: "Doe"
#     }) {
#       generatedPassword   # no password given: one is generated and shown only this once
#       customerUser { login fullName customer { name } }
#     }
#   }
query FirstCustomerUsers {
  customerUsers(limit: 10) {
    totalCount
    nodes { login fullName email validity customer { customerId name } }
  }
}
`;
