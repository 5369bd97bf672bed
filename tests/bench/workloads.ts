import type postgres from 'postgres';
import { pick, randomInt, type Random } from './dataset/random';

/**
 * The workloads: fixed GraphQL documents (the baseline recognises them by operation name), and
 * how each request's variables are drawn from the loaded data.
 */

export type WorkloadName = 'W1' | 'W2' | 'W3r' | 'W3' | 'W4';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['W1', 'W2', 'W3r', 'W3', 'W4'];

export interface Draw {
  readonly variables: Record<string, unknown>;
  /** Groups latencies in the report (W2: the term). */
  readonly tag?: string;
}

export interface Workload {
  readonly name: WorkloadName;
  readonly description: string;
  readonly document: string;
  /** Whether answers change the data (the gate compares those after each contestant has written). */
  readonly writes: boolean;
  draw(random: Random): Draw;
}

export const DOCUMENTS: Readonly<Record<WorkloadName, string>> = {
  W1: 'query W1($login: String!) { customerUser(login: $login) { login firstName lastName email customer { customerId name } } }',
  W2: 'query W2($term: String!) { customerUsers(search: $term, limit: 250) { nodes { login firstName lastName email } } }',
  W3r: 'query W3r($id: String!) { customer(customerId: $id) { customerId name users(limit: 50) { nodes { login firstName lastName email } } } }',
  W3: `query W3($id: String!) { customer(customerId: $id) { customerId users(limit: 50) { nodes {
    login groupPermissions { group { name } types } services { fromDefaults services { name } } } } } }`,
  W4: 'mutation W4($login: String!, $phone: String) { updateCustomerUser(login: $login, input: { phone: $phone }) { login phone changedAt } }',
};

export type TermClass = 'common' | 'medium' | 'rare' | 'non-ASCII' | 'absent';

/** W2's terms (all searched as `term*` over login, first/last name and email), by how often they match. */
export const SEARCH_TERMS: readonly { readonly term: string; readonly class: TermClass }[] = [
  { term: 'Sch*', class: 'common' },
  { term: 'Mar*', class: 'common' },
  { term: 'Ber*', class: 'common' },
  { term: 'Wolf*', class: 'medium' },
  { term: 'Kel*', class: 'medium' },
  { term: 'Hart*', class: 'medium' },
  { term: 'Lindenthaler*', class: 'rare' },
  { term: 'Adlerkofler*', class: 'rare' },
  { term: 'anna.sonnenborn*', class: 'rare' },
  { term: 'Mül*', class: 'non-ASCII' },
  { term: 'Çel*', class: 'non-ASCII' },
  { term: 'Jäg*', class: 'non-ASCII' },
  { term: 'Søren*', class: 'non-ASCII' },
  { term: 'Łuk*', class: 'non-ASCII' },
  { term: 'Qxzv*', class: 'absent' },
  { term: 'Zzyzx*', class: 'absent' },
  { term: 'Ünbekannt*', class: 'absent' },
];

export const termClass = (term: string): TermClass | undefined => SEARCH_TERMS.find((t) => t.term === term)?.class;

/** Keys the requests draw from: a sample of the loaded data, read once. */
export interface Samples {
  readonly logins: readonly string[];
  readonly customerIds: readonly string[];
}

export async function readSamples(sql: postgres.Sql, size = 20000): Promise<Samples> {
  // Deterministic: every n-th row by id, so each run draws from the same keys.
  const logins = await sql<{ login: string }[]>`
    SELECT login FROM customer_user WHERE id % greatest(1, (SELECT count(*) FROM customer_user) / ${size}) = 0 ORDER BY id LIMIT ${size}`;
  const customers = await sql<{ customer_id: string }[]>`SELECT customer_id FROM customer_company ORDER BY customer_id LIMIT ${size}`;
  return { logins: logins.map((r) => r.login), customerIds: customers.map((r) => r.customer_id) };
}

export function workloads(samples: Samples): Record<WorkloadName, Workload> {
  return {
    W1: {
      name: 'W1',
      description: 'one customer user by login, with its customer (id and name)',
      document: DOCUMENTS.W1,
      writes: false,
      draw: (random) => ({ variables: { login: pick(random, samples.logins) } }),
    },
    W2: {
      name: 'W2',
      description: 'search `term*` over login/first/last name/email, valid users, first 250 by login',
      document: DOCUMENTS.W2,
      writes: false,
      draw: (random) => {
        const { term } = pick(random, SEARCH_TERMS);
        return { variables: { term }, tag: term };
      },
    },
    W3r: {
      name: 'W3r',
      description: 'one customer and its first 50 valid users by login',
      document: DOCUMENTS.W3r,
      writes: false,
      draw: (random) => ({ variables: { id: pick(random, samples.customerIds) } }),
    },
    W3: {
      name: 'W3',
      description: "one customer's first 50 valid users, each with its group permissions and effective services",
      document: DOCUMENTS.W3,
      writes: false,
      draw: (random) => ({ variables: { id: pick(random, samples.customerIds) } }),
    },
    W4: {
      name: 'W4',
      description: "update one user's phone (one transaction with its audit row), return it",
      document: DOCUMENTS.W4,
      writes: true,
      draw: (random) => ({
        variables: { login: pick(random, samples.logins), phone: `+49 30 ${String(1000000 + randomInt(random, 9000000))}` },
      }),
    },
  };
}

/** The HTTP body of one request. */
export function requestBody(workload: Workload, variables: Record<string, unknown>): string {
  return JSON.stringify({ query: workload.document, operationName: workload.name, variables });
}
