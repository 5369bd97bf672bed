import { RW, type PermissionSettings } from './settings';

/**
 * OTOBO's permission rules (GroupMemberList, GroupContextCustomers) as pure functions over the
 * stored rows, keeping *why* each type is granted — the table OTOBO's admin screen shows without
 * the reasons.
 */

export interface GroupInfo {
  readonly id: number;
  readonly name: string;
  readonly comment: string | null;
  readonly validId: number;
}

/** A `group_customer_user` row with permission_value 1. */
export interface DirectGrantRow {
  readonly groupId: number;
  readonly key: string;
}

/** A `group_customer` row with permission_value 1. */
export interface CompanyGrantRow {
  readonly customerId: string;
  readonly groupId: number;
  readonly key: string;
  readonly context: string;
}

export type GrantSource =
  /** A row of the user's own (`viaType` is `rw` when rw implied the type). */
  | { readonly kind: 'DIRECT'; readonly viaType: string }
  /** Inherited from one of the user's customers through the "same customer" context. */
  | { readonly kind: 'CUSTOMER'; readonly customerId: string; readonly context: string; readonly viaType: string }
  /** CustomerGroupAlwaysGroups. */
  | { readonly kind: 'ALWAYS_GROUP' }
  /** CustomerGroupCompanyAlwaysGroups, through one of the user's customers. */
  | { readonly kind: 'CUSTOMER_ALWAYS_GROUP'; readonly customerId: string }
  /** CustomerGroupSupport is off: every valid group grants every type. */
  | { readonly kind: 'GROUP_SUPPORT_OFF' };

export interface TypeGrant {
  readonly type: string;
  readonly sources: readonly GrantSource[];
}

export interface EffectiveGroupPermission {
  readonly group: GroupInfo;
  /** Granted types only, in the configured order. */
  readonly grants: readonly TypeGrant[];
}

const VALID = 1;

export const isValidGroup = (group: GroupInfo) => group.validId === VALID;

/** The configured types a stored key grants: itself, or all of them for rw; keys not configured grant none. */
export function typesGrantedBy(key: string, types: readonly string[]): readonly string[] {
  if (key === RW) return types;
  return types.includes(key) ? [key] : [];
}

/** Effective permissions of one customer user (GroupMemberList without RawPermissions, for every type). */
export function effectivePermissions(
  settings: PermissionSettings,
  groups: readonly GroupInfo[],
  customerIds: readonly string[],
  direct: readonly DirectGrantRow[],
  company: readonly CompanyGrantRow[],
): EffectiveGroupPermission[] {
  const validGroups = groups.filter(isValidGroup);
  const grants = new Map<number, Map<string, GrantSource[]>>();
  const grant = (groupId: number, types: readonly string[], source: (type: string) => GrantSource) => {
    if (!validGroups.some((g) => g.id === groupId)) return; // invalid groups grant nothing
    const byType = grants.get(groupId) ?? new Map<string, GrantSource[]>();
    grants.set(groupId, byType);
    for (const type of types) byType.set(type, [...(byType.get(type) ?? []), source(type)]);
  };
  const byName = (names: readonly string[]) => validGroups.filter((g) => names.includes(g.name));

  if (!settings.support) {
    for (const group of validGroups) grant(group.id, settings.types, () => ({ kind: 'GROUP_SUPPORT_OFF' }));
  } else {
    for (const row of direct) grant(row.groupId, typesGrantedBy(row.key, settings.types), () => ({ kind: 'DIRECT', viaType: row.key }));
    if (settings.sameContext !== null) {
      const own = new Set(customerIds.map((id) => id.toLowerCase()));
      for (const row of company) {
        if (row.context !== settings.sameContext || !own.has(row.customerId.toLowerCase())) continue;
        const source = { kind: 'CUSTOMER', customerId: row.customerId, context: row.context, viaType: row.key } as const;
        grant(row.groupId, typesGrantedBy(row.key, settings.types), () => source);
      }
      for (const group of byName(settings.companyAlwaysGroups)) {
        for (const customerId of customerIds) grant(group.id, settings.types, () => ({ kind: 'CUSTOMER_ALWAYS_GROUP', customerId }));
      }
    }
    for (const group of byName(settings.alwaysGroups)) grant(group.id, settings.types, () => ({ kind: 'ALWAYS_GROUP' }));
  }

  return validGroups
    .filter((g) => grants.has(g.id))
    .sort(byGroupName)
    .map((group) => {
      const byType = grants.get(group.id)!;
      return { group, grants: settings.types.filter((t) => byType.has(t)).map((type) => ({ type, sources: byType.get(type)! })) };
    });
}

export interface CustomerAccessEntry {
  readonly customerId: string;
  /** One of the user's own CustomerIDs. */
  readonly direct: boolean;
  /** The groups through which the "other customers" context reaches it (empty when none). */
  readonly viaGroupIds: readonly number[];
}

/**
 * Whose tickets the user may see (GroupContextCustomers), before dropping customers that are not
 * valid existing companies: the own CustomerIDs, plus — with customer groups on and the "other"
 * context enabled — every customer with ro (or rw) in the same-customer context on a group where
 * one of the own customers has ro (or rw) in the other context.
 */
export function customerAccess(
  settings: PermissionSettings,
  groups: readonly GroupInfo[],
  customerIds: readonly string[],
  ownCompanyRows: readonly CompanyGrantRow[],
  rowsOfOtherGroups: readonly CompanyGrantRow[],
): CustomerAccessEntry[] {
  const entries = new Map<string, { customerId: string; direct: boolean; via: Set<number> }>();
  const entry = (customerId: string) => {
    const key = customerId.toLowerCase();
    const existing = entries.get(key) ?? { customerId, direct: false, via: new Set<number>() };
    entries.set(key, existing);
    return existing;
  };
  for (const id of customerIds) entry(id).direct = true;

  const { otherContext, sameContext } = settings;
  if (settings.support && otherContext !== null && sameContext !== null) {
    const valid = new Set(groups.filter(isValidGroup).map((g) => g.id));
    const readable = (row: CompanyGrantRow) => valid.has(row.groupId) && grantsRead(row.key);
    const otherGroups = new Set(otherContextGroupIds(settings, customerIds, ownCompanyRows).filter((id) => valid.has(id)));
    for (const row of rowsOfOtherGroups) {
      if (row.context === sameContext && otherGroups.has(row.groupId) && readable(row)) entry(row.customerId).via.add(row.groupId);
    }
  }
  return [...entries.values()]
    .sort((a, b) => compareText(a.customerId, b.customerId))
    .map((e) => ({ customerId: e.customerId, direct: e.direct, viaGroupIds: [...e.via].sort((a, b) => a - b) }));
}

/**
 * The groups whose same-context rows `customerAccess` needs: those on which the own customers have
 * ro (or rw) in the other context (validity is checked by customerAccess).
 */
export function otherContextGroupIds(settings: PermissionSettings, customerIds: readonly string[], ownCompanyRows: readonly CompanyGrantRow[]): number[] {
  if (!settings.support || settings.otherContext === null) return [];
  const own = new Set(customerIds.map((id) => id.toLowerCase()));
  const ids = ownCompanyRows
    .filter((row) => row.context === settings.otherContext && own.has(row.customerId.toLowerCase()) && grantsRead(row.key))
    .map((row) => row.groupId);
  return [...new Set(ids)];
}

/**
 * What GroupMemberAdd stores for a set of types: rw alone when rw is among them (it implies the
 * rest); each type must be configured. Returns the unknown types as well, for the caller's error.
 */
export function normaliseTypes(types: readonly string[], configured: readonly string[]): { stored: string[]; unknown: string[] } {
  const unknown = types.filter((t) => !configured.includes(t));
  const stored = types.includes(RW) ? [RW] : configured.filter((t) => types.includes(t));
  return { stored, unknown: [...new Set(unknown)] };
}

/** GroupContextCustomers asks for `ro`, which rw implies. */
function grantsRead(key: string): boolean {
  return key === 'ro' || key === RW;
}

function byGroupName(a: GroupInfo, b: GroupInfo): number {
  return compareText(a.name, b.name);
}

/** Case-insensitive, then exact, so the order is total and stable. */
export function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
