import postgres from 'postgres';
import type { GraphQLAnswer, ServerProcess } from './server-process';

const CREATE = `mutation ($input: CustomerUserCreateInput!) { createCustomerUser(input: $input) { customerUser { login } } }`;
const UPDATE = `mutation ($login: String!, $input: CustomerUserUpdateInput!) { updateCustomerUser(login: $login, input: $input) { login firstName } }`;
const READ = `query ($login: String!) { customerUser(login: $login) { login firstName } customers(limit: 5) { totalCount } }`;

export interface Outcome {
  readonly kind: 'create' | 'update' | 'read';
  /** The login created or updated, and the first name an update set. */
  readonly login: string;
  readonly value?: string;
  readonly answer: GraphQLAnswer;
  readonly at: number;
}

export const acknowledged = (outcome: Outcome) => outcome.answer.status === 200 && !outcome.answer.errors?.length;

/** Numbers the attempts of all loads in a process, so values and logins never repeat. */
let nextSeq = 0;

/** Client c owns the user load-c{c}: only it updates that user, so its writes have one order. */
export const ownUser = (client: number) => `load-c${client}`;

export async function seedLoadUsers(server: ServerProcess, clients: number): Promise<void> {
  const customer = await server.graphql(`mutation { createCustomer(input: { customerId: "load", name: "Load" }) { customerId } }`);
  if (customer.errors) throw new Error(JSON.stringify(customer.errors));
  for (let client = 0; client < clients; client += 1) {
    const answer = await server.graphql(CREATE, { input: userInput(ownUser(client)) });
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  }
}

function userInput(login: string) {
  return { login, customerId: 'load', email: `${login}@load.test`, firstName: 'initial', lastName: 'Load', password: 'load-password-1' };
}

/**
 * `clients` concurrent clients, each looping until `running()` is false: 40 % updates of its own
 * user, 10 % creates, 50 % reads. Every outcome is appended to `outcomes` as it arrives, for the
 * integrity check (which needs the outcomes of every load the database saw).
 */
export async function runMixedLoad(server: ServerProcess, clients: number, running: () => boolean, outcomes: Outcome[] = []): Promise<Outcome[]> {
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (running()) {
        const seq = (nextSeq += 1);
        const roll = Math.random();
        const login = roll < 0.4 ? ownUser(client) : `load-c${client}-n${seq}`;
        if (roll < 0.4) {
          const value = `v${client}-${seq}`;
          outcomes.push({ kind: 'update', login, value, answer: await server.graphql(UPDATE, { login, input: { firstName: value } }), at: Date.now() });
        } else if (roll < 0.5) {
          outcomes.push({ kind: 'create', login, answer: await server.graphql(CREATE, { input: userInput(login) }), at: Date.now() });
        } else {
          outcomes.push({ kind: 'read', login: ownUser(client), answer: await server.graphql(READ, { login: ownUser(client) }), at: Date.now() });
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
  return outcomes;
}

/**
 * What must hold after any fault: every acknowledged create and update is in the data; a failed
 * write is either fully there (its commit went through, only the answer was lost) or not at all;
 * data and audit log agree (a created user has its create row, a user's first name is the one its
 * latest audit row set). Returns the list of violations (empty when all hold).
 */
export async function integrityViolations(databaseUrl: string, outcomes: readonly Outcome[]): Promise<string[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const users = new Map((await sql<{ login: string; first_name: string }[]>`SELECT login, first_name FROM customer_user WHERE login LIKE 'load-%'`).map((r) => [r.login, r.first_name]));
    const audit = await sql<{ entity_key: string; action: string; changes: { new: unknown }[] }[]>`
      SELECT entity_key, action, changes FROM customer_graphql.gql_audit_log WHERE entity_type = 'CustomerUser' AND entity_key LIKE 'load-%' ORDER BY id`;
    const violations: string[] = [];
    const created = new Set(audit.filter((row) => row.action === 'create').map((row) => row.entity_key));
    for (const login of users.keys()) if (!created.has(login)) violations.push(`${login} exists without its create audit row`);
    for (const login of created) if (!users.has(login)) violations.push(`${login} has a create audit row but no data`);
    for (const outcome of outcomes) {
      if (outcome.kind === 'create' && acknowledged(outcome) && !users.has(outcome.login)) violations.push(`acknowledged create of ${outcome.login} is missing`);
    }
    const updated = new Map<string, string[]>(); // login → first names set by its audit rows, in order
    for (const row of audit) {
      const value = row.changes.map((change) => change.new).find((v): v is string => typeof v === 'string' && /^v\d+-\d+$/.test(v));
      if (row.action === 'update' && value) updated.set(row.entity_key, [...(updated.get(row.entity_key) ?? []), value]);
    }
    const updates = outcomes.filter((outcome) => outcome.kind === 'update');
    for (const login of new Set(updates.map((outcome) => outcome.login))) {
      const audited = updated.get(login) ?? [];
      const mine = updates.filter((outcome) => outcome.login === login);
      for (const outcome of mine) {
        if (acknowledged(outcome) && !audited.includes(outcome.value!)) violations.push(`acknowledged update ${login}=${outcome.value} has no audit row`);
      }
      // One client updates this user, one request at a time: the audit rows follow its attempts' order.
      const order = audited.map((value) => mine.findIndex((outcome) => outcome.value === value));
      if (order.some((index) => index === -1)) violations.push(`${login}: an audit row matches no attempt`);
      if (order.some((index, i) => i > 0 && index <= order[i - 1]!)) violations.push(`${login}: audit rows out of attempt order`);
      const expected = audited.at(-1) ?? 'initial';
      if (users.get(login) !== expected) violations.push(`${login} has first name ${users.get(login)}, its latest audit row says ${expected}`);
    }
    return violations;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
