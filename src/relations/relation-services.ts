import type { ChangeFeed } from '../changes/change-feed';
import type { ChangeWriter } from '../changes/change-writer';
import type { AppConfig } from '../config/semantics';
import type { CustomerService } from '../customer/service';
import type { CustomerUserService } from '../customer-user/service';
import type { Db } from '../db/client';
import type { GroupTable } from '../db/group-table';
import { GroupPermissions } from '../permissions/group-permissions';
import { GroupService } from '../permissions/group-service';
import { permissionSettings, type PermissionSettings } from '../permissions/settings';
import { ServiceAssignments } from '../service-catalog/service-assignments';
import { ServiceCatalog } from '../service-catalog/service-catalog';
import { CatalogCache } from './catalog-cache';
import { CustomerRelations } from './customer-relations';
import { PreferenceService } from './preferences';

/** Relations, groups, permissions, services and preferences: what the resolvers of issue 7 call. */
export interface RelationServices {
  /** For the per-request relation loaders. */
  readonly db: Db;
  /** OTOBO's group table under this database's name for it. */
  readonly groupTable: GroupTable;
  /** The groups and services tables as recently read, shared by requests. */
  readonly catalog: CatalogCache;
  readonly permissions: PermissionSettings;
  /** CustomerUserExcludePrimaryCustomerID of the backend a user comes from (its `source`). */
  excludesPrimaryCustomerId(source: string): boolean;
  readonly customerRelations: CustomerRelations;
  readonly groups: GroupService;
  readonly groupPermissions: GroupPermissions;
  readonly serviceCatalog: ServiceCatalog;
  readonly serviceAssignments: ServiceAssignments;
  readonly preferences: PreferenceService;
}

export function createRelationServices(
  config: AppConfig,
  db: Db,
  writer: ChangeWriter,
  users: CustomerUserService,
  customers: CustomerService,
  groupTable: GroupTable,
  feed: ChangeFeed,
): RelationServices {
  const permissions = permissionSettings(config);
  const excluding = new Set(config.customerUserBackends.filter((b) => b.CustomerUserExcludePrimaryCustomerID).map((b) => b.id));
  return {
    db,
    groupTable,
    catalog: new CatalogCache(config.database.catalogCacheMs, feed),
    permissions,
    excludesPrimaryCustomerId: (source) => excluding.has(source),
    customerRelations: new CustomerRelations(writer, users, customers),
    groups: new GroupService(writer, groupTable),
    groupPermissions: new GroupPermissions(writer, users, customers, permissions, groupTable),
    serviceCatalog: new ServiceCatalog(writer),
    serviceAssignments: new ServiceAssignments(writer, users),
    preferences: new PreferenceService(writer, users),
  };
}
