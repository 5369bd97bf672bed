import DataLoader from 'dataloader';
import type { Agent } from '../agents/agent-directory';
import type { StoredRecord } from '../records/types';
import type { AppServices } from './context';

export interface Loaders {
  /** By login, case-insensitively. */
  readonly customerUser: DataLoader<string, StoredRecord | null, string>;
  /** By CustomerID, case-insensitively. */
  readonly customer: DataLoader<string, StoredRecord | null, string>;
  readonly agent: DataLoader<number, Agent | null>;
}

const caseInsensitive = (key: string) => key.toLowerCase();

/** All loads of one tick become one backend call per kind: `WHERE lower(key) IN (…)`. */
export function createLoaders(services: AppServices): Loaders {
  return {
    customerUser: new DataLoader(
      async (logins) => byKey(logins, await services.customerUsers.getByLogins(logins), 'UserLogin'),
      { cacheKeyFn: caseInsensitive, maxBatchSize: 500 },
    ),
    customer: new DataLoader(
      async (ids) => byKey(ids, await services.customers.getByIds(ids), 'CustomerID'),
      { cacheKeyFn: caseInsensitive, maxBatchSize: 500 },
    ),
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
