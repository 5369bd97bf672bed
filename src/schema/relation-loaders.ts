import DataLoader from 'dataloader';
import { companyRowsOf, companyRowsOnGroups, directMembersOf, readGroups } from '../permissions/group-rows';
import type { CompanyGrantRow, GroupInfo } from '../permissions/policy';
import { extraMembersOf } from '../relations/extra-customers';
import { readLoginRelations, relationsOf, type LoginRelations } from '../relations/login-relations';
import { readPreferences, type Preference } from '../relations/preferences';
import type { RelationServices } from '../relations/relation-services';
import { readServices, serviceMembersOf, type ServiceInfo } from '../service-catalog/service-rows';

/** Per request, like the main loaders: every nested relation field of one tick costs one statement per kind. */
export interface RelationLoaders {
  /** Extra customers, direct group rows and own services of a login (one statement for all three). */
  readonly byLogin: DataLoader<string, LoginRelations, string>;
  /** Company permission rows of a CustomerID (all contexts). */
  readonly companyRows: DataLoader<string, CompanyGrantRow[], string>;
  /** Company permission rows on a group (all contexts). */
  readonly companyRowsOnGroup: DataLoader<number, CompanyGrantRow[]>;
  readonly directMembers: DataLoader<number, { login: string; key: string }[]>;
  /** Logins having a CustomerID as an extra customer. */
  readonly extraMembers: DataLoader<string, string[], string>;
  /** Logins (and `<DEFAULT>`) assigned to a service. */
  readonly serviceMembers: DataLoader<number, string[]>;
  readonly preferences: DataLoader<string, Preference[], string>;
  /** The whole groups table, read at most once per request. */
  groups(): Promise<GroupInfo[]>;
  /** The whole service table, read at most once per request. */
  services(): Promise<ServiceInfo[]>;
  /** Forgets everything read so far: called after each relation write of the request. */
  reset(): void;
}

const caseInsensitive = (key: string) => key.toLowerCase();
const textKeys = { cacheKeyFn: caseInsensitive, maxBatchSize: 500 };

export function createRelationLoaders(relations: RelationServices): RelationLoaders {
  const { db } = relations;
  const byText = <V>(read: (keys: readonly string[]) => Promise<Map<string, V[]>>) =>
    new DataLoader<string, V[], string>(async (keys) => {
      const found = await read(keys);
      return keys.map((k) => found.get(k.toLowerCase()) ?? []);
    }, textKeys);
  const byId = <V>(read: (ids: readonly number[]) => Promise<Map<number, V[]>>) =>
    new DataLoader<number, V[]>(async (ids) => {
      const found = await read(ids);
      return ids.map((id) => found.get(id) ?? []);
    }, { maxBatchSize: 500 });
  let groups: Promise<GroupInfo[]> | null = null;
  let services: Promise<ServiceInfo[]> | null = null;
  const createLoaders = () => ({
    byLogin: new DataLoader(async (logins: readonly string[]) => {
      const found = await readLoginRelations(db, logins);
      return logins.map((login) => relationsOf(found, login));
    }, textKeys),
    companyRows: byText((ids) => companyRowsOf(db, ids)),
    companyRowsOnGroup: byId((ids) => companyRowsOnGroups(db, ids)),
    directMembers: byId((ids) => directMembersOf(db, ids)),
    extraMembers: byText((ids) => extraMembersOf(db, ids)),
    serviceMembers: byId((ids) => serviceMembersOf(db, ids)),
    preferences: byText((logins) => readPreferences(db, logins)),
  });
  // Built on first use: most requests touch no relation, and seven loaders per request cost.
  let loaders: ReturnType<typeof createLoaders> | null = null;
  const made = () => (loaders ??= createLoaders());
  return {
    get byLogin() { return made().byLogin; },
    get companyRows() { return made().companyRows; },
    get companyRowsOnGroup() { return made().companyRowsOnGroup; },
    get directMembers() { return made().directMembers; },
    get extraMembers() { return made().extraMembers; },
    get serviceMembers() { return made().serviceMembers; },
    get preferences() { return made().preferences; },
    groups: () => (groups ??= readGroups(db, relations.groupTable)),
    services: () => (services ??= readServices(db)),
    reset: () => {
      for (const loader of Object.values(loaders ?? {})) loader.clearAll();
      groups = null;
      services = null;
    },
  };
}
