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
  /** The whole groups table, read at most once per request (and shared by requests: CatalogCache). */
  groups(): Promise<GroupInfo[]>;
  /** The whole service table, read at most once per request (and shared by requests: CatalogCache). */
  services(): Promise<ServiceInfo[]>;
  /** Forgets everything read so far: called after each relation write of the request. */
  reset(): void;
}

const caseInsensitive = (key: string) => key.toLowerCase();
const textKeys = { cacheKeyFn: caseInsensitive, maxBatchSize: 500 };

/** A loader of grouped rows by key: a key without rows loads as an empty list. */
function grouped<K, V>(read: (keys: readonly K[]) => Promise<Map<K, V[]>>, mapKey: (key: K) => K, options: object): DataLoader<K, V[], K> {
  return new DataLoader<K, V[], K>(async (keys) => {
    const found = await read(keys);
    return keys.map((k) => found.get(mapKey(k)) ?? []);
  }, options);
}

const byText = <V>(read: (keys: readonly string[]) => Promise<Map<string, V[]>>) => grouped(read, caseInsensitive, textKeys);
const byId = <V>(read: (ids: readonly number[]) => Promise<Map<number, V[]>>) => grouped(read, (id: number) => id, { maxBatchSize: 500 });

/**
 * One object per request whose loaders are made on first use: most requests touch no relation,
 * and seven loaders with their closures per request cost.
 */
class RequestRelationLoaders implements RelationLoaders {
  private loaders: {
    byLogin?: RelationLoaders['byLogin'];
    companyRows?: RelationLoaders['companyRows'];
    companyRowsOnGroup?: RelationLoaders['companyRowsOnGroup'];
    directMembers?: RelationLoaders['directMembers'];
    extraMembers?: RelationLoaders['extraMembers'];
    serviceMembers?: RelationLoaders['serviceMembers'];
    preferences?: RelationLoaders['preferences'];
  } = {};
  private groupRows: Promise<GroupInfo[]> | null = null;
  private serviceRows: Promise<ServiceInfo[]> | null = null;

  constructor(private readonly relations: RelationServices) {}

  get byLogin() {
    const { db } = this.relations;
    return (this.loaders.byLogin ??= new DataLoader(async (logins: readonly string[]) => {
      const found = await readLoginRelations(db, logins);
      return logins.map((login) => relationsOf(found, login));
    }, textKeys));
  }
  get companyRows() {
    return (this.loaders.companyRows ??= byText((ids) => companyRowsOf(this.relations.db, ids)));
  }
  get companyRowsOnGroup() {
    return (this.loaders.companyRowsOnGroup ??= byId((ids) => companyRowsOnGroups(this.relations.db, ids)));
  }
  get directMembers() {
    return (this.loaders.directMembers ??= byId((ids) => directMembersOf(this.relations.db, ids)));
  }
  get extraMembers() {
    return (this.loaders.extraMembers ??= byText((ids) => extraMembersOf(this.relations.db, ids)));
  }
  get serviceMembers() {
    return (this.loaders.serviceMembers ??= byId((ids) => serviceMembersOf(this.relations.db, ids)));
  }
  get preferences() {
    return (this.loaders.preferences ??= byText((logins) => readPreferences(this.relations.db, logins)));
  }

  groups(): Promise<GroupInfo[]> {
    const { catalog, db, groupTable } = this.relations;
    return (this.groupRows ??= catalog.groups.get(() => readGroups(db, groupTable)));
  }

  services(): Promise<ServiceInfo[]> {
    const { catalog, db } = this.relations;
    return (this.serviceRows ??= catalog.services.get(() => readServices(db)));
  }

  reset(): void {
    for (const loader of Object.values(this.loaders)) loader.clearAll();
    this.groupRows = null;
    this.serviceRows = null;
  }
}

export function createRelationLoaders(relations: RelationServices): RelationLoaders {
  return new RequestRelationLoaders(relations);
}
