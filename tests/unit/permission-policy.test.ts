import { customerAccess, effectivePermissions, normaliseTypes, otherContextGroupIds, typesGrantedBy, type GroupInfo } from '../../src/permissions/policy';
import type { PermissionSettings } from '../../src/permissions/settings';
import { customerIdsOf, splitCustomerIds } from '../../src/relations/customer-ids';
import { childrenOf, parentOf, shortName } from '../../src/service-catalog/service-tree';

const SAME = 'Ticket::CustomerID::Same';
const OTHER = 'Ticket::CustomerID::Other';
const settings: PermissionSettings = {
  support: true,
  types: ['ro', 'move_into', 'rw'],
  alwaysGroups: ['users'],
  companyAlwaysGroups: [],
  sameContext: SAME,
  otherContext: null,
};
const group = (id: number, name: string, validId = 1): GroupInfo => ({ id, name, comment: null, validId });
const groups = [group(1, 'users'), group(2, 'Admin'), group(3, 'stats'), group(4, 'old', 2)];
const summary = (rows: ReturnType<typeof effectivePermissions>) => rows.map((r) => [r.group.name, r.grants.map((g) => g.type)]);

describe('effectivePermissions', () => {
  it('grants every configured type for rw, only the type itself otherwise, and ignores unconfigured keys', () => {
    expect(typesGrantedBy('rw', settings.types)).toEqual(['ro', 'move_into', 'rw']);
    expect(typesGrantedBy('move_into', settings.types)).toEqual(['move_into']);
    expect(typesGrantedBy('owner', settings.types)).toEqual([]);
  });

  it('combines direct rows, same-context company rows of any own customer and always-groups, sorted by name', () => {
    const rows = effectivePermissions(settings, groups, ['ACME', 'beta'], [{ groupId: 3, key: 'ro' }], [
      { customerId: 'acme', groupId: 2, key: 'rw', context: SAME },
      { customerId: 'beta', groupId: 3, key: 'move_into', context: OTHER }, // other context: no inheritance
      { customerId: 'zeta', groupId: 3, key: 'rw', context: SAME }, // not the user's customer
    ]);
    expect(summary(rows)).toEqual([
      ['Admin', ['ro', 'move_into', 'rw']],
      ['stats', ['ro']],
      ['users', ['ro', 'move_into', 'rw']],
    ]);
    expect(rows[0]!.grants[0]!.sources).toEqual([{ kind: 'CUSTOMER', customerId: 'acme', context: SAME, viaType: 'rw' }]);
  });

  it('lets invalid groups grant nothing, even as always-groups', () => {
    const rows = effectivePermissions({ ...settings, alwaysGroups: ['old'] }, groups, [], [{ groupId: 4, key: 'rw' }], []);
    expect(rows).toEqual([]);
  });

  it('adds company always-groups once per own customer, only when the user has customers', () => {
    const withCompany = { ...settings, alwaysGroups: [], companyAlwaysGroups: ['stats'] };
    expect(effectivePermissions(withCompany, groups, [], [], [])).toEqual([]);
    const rows = effectivePermissions(withCompany, groups, ['a', 'b'], [], []);
    expect(rows[0]!.grants[0]!.sources).toEqual([
      { kind: 'CUSTOMER_ALWAYS_GROUP', customerId: 'a' },
      { kind: 'CUSTOMER_ALWAYS_GROUP', customerId: 'b' },
    ]);
  });

  it('grants every type on every valid group when customer groups are off', () => {
    const rows = effectivePermissions({ ...settings, support: false }, groups, [], [], []);
    expect(summary(rows)).toEqual([
      ['Admin', ['ro', 'move_into', 'rw']],
      ['stats', ['ro', 'move_into', 'rw']],
      ['users', ['ro', 'move_into', 'rw']],
    ]);
  });
});

describe('customerAccess', () => {
  const other = { ...settings, otherContext: OTHER };
  const own = [
    { customerId: 'acme', groupId: 2, key: 'ro', context: OTHER },
    { customerId: 'acme', groupId: 4, key: 'rw', context: OTHER }, // invalid group
    { customerId: 'acme', groupId: 3, key: 'move_into', context: OTHER }, // neither ro nor rw
  ];
  const reached = [
    { customerId: 'beta', groupId: 2, key: 'rw', context: SAME },
    { customerId: 'gamma', groupId: 2, key: 'ro', context: OTHER }, // other context: not reached
    { customerId: 'delta', groupId: 4, key: 'ro', context: SAME },
    { customerId: 'ACME', groupId: 2, key: 'ro', context: SAME },
  ];

  it('reaches customers with same-context access to a group the own customers hold in the other context', () => {
    expect(otherContextGroupIds(other, ['acme'], own)).toEqual([2, 4]); // candidates to load: validity is checked below
    expect(customerAccess(other, groups, ['acme'], own, reached)).toEqual([
      { customerId: 'acme', direct: true, viaGroupIds: [2] },
      { customerId: 'beta', direct: false, viaGroupIds: [2] },
    ]);
  });

  it('gives only the own customers when the other context is disabled or customer groups are off', () => {
    expect(otherContextGroupIds(settings, ['acme'], own)).toEqual([]);
    expect(customerAccess(settings, groups, ['b', 'a'], own, reached).map((e) => e.customerId)).toEqual(['a', 'b']);
    expect(customerAccess({ ...other, support: false }, groups, ['acme'], own, reached)).toHaveLength(1);
  });
});

describe('normaliseTypes', () => {
  it('stores rw alone, configured types in configured order, and reports unknown ones', () => {
    expect(normaliseTypes(['rw', 'ro'], settings.types)).toEqual({ stored: ['rw'], unknown: [] });
    expect(normaliseTypes(['move_into', 'ro', 'ro'], settings.types)).toEqual({ stored: ['ro', 'move_into'], unknown: [] });
    expect(normaliseTypes(['ro', 'owner', 'owner'], settings.types).unknown).toEqual(['owner']);
  });
});

describe('customerIdsOf', () => {
  it("puts UserCustomerIDs first, then the primary, then the extra customers, without duplicates", () => {
    expect(customerIdsOf({ UserCustomerIDs: 'x; y ;', UserCustomerID: 'p' }, ['a', 'P', 'x'], false)).toEqual(['x', 'y', 'p', 'a']);
    expect(customerIdsOf({ UserCustomerID: 'p' }, ['a'], true)).toEqual(['a']);
    expect(customerIdsOf({ UserCustomerID: null }, [], false)).toEqual([]);
  });

  it('splits on the first separator found in the order ; , |', () => {
    expect(splitCustomerIds('a,b;c')).toEqual(['a,b', 'c']);
    expect(splitCustomerIds('a|b, c')).toEqual(['a|b', 'c']);
    expect(splitCustomerIds(' single ')).toEqual(['single']);
  });
});

describe('the service tree', () => {
  const service = (id: number, name: string) => ({ id, name, comment: null, validId: 1 });
  const all = [service(1, 'IT'), service(2, 'IT::Print'), service(3, 'IT::Print::Toner'), service(4, 'Lost::Child')];

  it('derives parents and children from the path; a missing parent makes a root', () => {
    expect(shortName('IT::Print::Toner')).toBe('Toner');
    expect(parentOf(all[2]!, all)?.name).toBe('IT::Print');
    expect(childrenOf(null, all).map((s) => s.name)).toEqual(['IT', 'Lost::Child']);
    expect(childrenOf(all[0]!, all).map((s) => s.name)).toEqual(['IT::Print']);
  });
});
