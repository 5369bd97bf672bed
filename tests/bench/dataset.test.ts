import { isDeepStrictEqual } from 'node:util';
import { Dataset, type Cell } from './dataset/generate';

/** The bench's data generator: deterministic, realistic in the ways the workloads depend on. */

function generate(users: number, seed: number): Map<string, Cell[][]> {
  const tables = new Map<string, Cell[][]>();
  for (const table of new Dataset(users, seed).tables()) tables.set(table.table, [...table.rows()]);
  return tables;
}

describe('bench data generator', () => {
  const data = generate(2000, 1);
  const users = data.get('customer_user')!;
  const column = (name: string) => users.map((row) => row[['login', 'email', 'customer_id', 'pw', 'title', 'first_name', 'last_name'].indexOf(name)]);

  it('yields the same rows for the same seed and other rows for another', () => {
    // isDeepStrictEqual: jest's toEqual takes seconds over 20,000 rows.
    expect(isDeepStrictEqual(generate(2000, 1), data)).toBe(true);
    expect(generate(2000, 2).get('customer_user')!.slice(0, 20)).not.toEqual(users.slice(0, 20));
  });

  it('makes ~users/50 customers and unique logins and emails derived from the names', () => {
    expect(data.get('customer_company')).toHaveLength(40);
    expect(users).toHaveLength(2000);
    expect(new Set(column('login')).size).toBe(2000);
    expect(new Set(column('email')).size).toBe(2000);
    expect(users[0]![0]).toMatch(/^[a-z-]+\.[a-z'-]+\d*$/);
    expect(users.filter((row) => /^mueller\d*$/.test(String(row[0]).split('.')[1] ?? ''))).not.toHaveLength(0);
  });

  it('skews names (Zipf-like) and includes non-ASCII ones', () => {
    const counts = new Map<string, number>();
    for (const name of column('last_name')) counts.set(String(name), (counts.get(String(name)) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]).toBeGreaterThan(20 * sorted[sorted.length - 1]!);
    expect(counts.get('Müller')).toBeGreaterThan(50);
    const all = [...column('first_name'), ...column('last_name')].map(String);
    for (const name of ['Çelik', 'Jäger', 'Søren']) expect(all).toContain(name);
  });

  it('adds ~0.3 extra customers, ~2 groups and ~1.5 services per user; most users are valid', () => {
    const perUser = (table: string) => data.get(table)!.length / 2000;
    expect(perUser('customer_user_customer')).toBeGreaterThan(0.25);
    expect(perUser('customer_user_customer')).toBeLessThan(0.35);
    expect(perUser('group_customer_user')).toBeGreaterThan(1.9);
    expect(perUser('group_customer_user')).toBeLessThan(2.1);
    expect(perUser('service_customer_user')).toBeGreaterThan(1.4);
    expect(perUser('service_customer_user')).toBeLessThan(1.6);
    const valid = users.filter((row) => row[15] === 1).length / 2000;
    expect(valid).toBeGreaterThan(0.88);
    expect(valid).toBeLessThan(0.96);
  });
});
