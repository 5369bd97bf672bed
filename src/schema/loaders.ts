import DataLoader from 'dataloader';
import type { Agent } from '../agents/agent-directory';
import type { ReportUnavailable } from '../customer-user/merged-search';
import type { StoredRecord } from '../records/types';
import type { AppServices } from './context';

export interface Loaders {
  /** By login, case-insensitively. */
  readonly customerUser: DataLoader<string, StoredRecord | null, string>;
  /**
   * The same, when the query also wants the user's customer: read with it in one statement, and
   * primes `customer` (and `customerUser`) with what it read.
   */
  readonly customerUserWithCustomer: DataLoader<string, StoredRecord | null, string>;
  /** By CustomerID, case-insensitively. */
  readonly customer: DataLoader<string, StoredRecord | null, string>;
  readonly agent: DataLoader<number, Agent | null>;
}

const caseInsensitive = (key: string) => key.toLowerCase();

/** All loads of one tick become one backend call per kind: `WHERE lower(key) IN (…)`. */
export function createLoaders(services: AppServices, report: ReportUnavailable): Loaders {
  const customerUser = new DataLoader<string, StoredRecord | null, string>(
    async (logins) => byKey(logins, await services.customerUsers.getByLogins(logins, undefined, { report }), 'UserLogin'),
    { cacheKeyFn: caseInsensitive, maxBatchSize: 500 },
  );
  const customer = new DataLoader<string, StoredRecord | null, string>(
    async (ids) => byKey(ids, await services.customers.getByIds(ids), 'CustomerID'),
    { cacheKeyFn: caseInsensitive, maxBatchSize: 500 },
  );
  const customerUserWithCustomer = new DataLoader<string, StoredRecord | null, string>(
    async (logins) => {
      const joined = await services.customerUsers.getByLoginsWithCustomers(logins);
      if (!joined) return customerUser.loadMany(logins) as Promise<(StoredRecord | null)[]>;
      for (const { record, related } of joined) {
        customerUser.prime(String(record.values.UserLogin), record);
        const customerId = record.values.UserCustomerID;
        if (customerId !== null && customerId !== undefined) customer.prime(String(customerId), related);
      }
      return byKey(logins, joined.map((j) => j.record), 'UserLogin');
    },
    { cacheKeyFn: caseInsensitive, maxBatchSize: 500 },
  );
  return {
    customerUser,
    customerUserWithCustomer,
    customer,
    agent: new DataLoader(async (ids) => {
      const agents = new Map((await services.agents.getByIds(ids)).map((a) => [a.id, a]));
      return ids.map((id) => agents.get(id) ?? null);
    }),
  };
}

function byKey(keys: readonly string[], records: readonly StoredRecord[], keyAttribute: string): (StoredRecord | null)[] {
  const found = new Map(records.map((r) => [String(r.values[keyAttribute]).toLowerCase(), r]));
  return keys.map((key) => found.get(key.toLowerCase()) ?? null);
}
