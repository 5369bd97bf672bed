import { ConfigError } from '../../src/config/issues';
import { loadConfig } from '../../src/config/load';
import { permissionSettings } from '../../src/permissions/settings';

const load = (overrides?: unknown, env: Record<string, string> = {}) => loadConfig({ localFile: null, env, overrides });

function issues(overrides: unknown): string[] {
  try {
    load(overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n').slice(1).map((l) => l.trim());
  }
  throw new Error('expected a ConfigError');
}

// OTOBO's defaults (otobo-behaviour.md §11.1), not read from defaults.json.
it("ships OTOBO's customer-group defaults: off, ro/rw, users always, only the same-customer context", () => {
  expect(permissionSettings(load())).toEqual({
    support: false,
    types: ['ro', 'rw'],
    alwaysGroups: ['users'],
    companyAlwaysGroups: ['users'],
    sameContext: 'Ticket::CustomerID::Same',
    otherContext: null,
  });
});

it('switches customer groups and the other-customers context on, also from the environment', () => {
  const settings = permissionSettings(
    load({ CustomerGroupPermissionContext: { '100-CustomerID-other': { Enabled: 1 } } }, { CONFIG__CustomerGroupSupport: '1' }),
  );
  expect(settings).toMatchObject({ support: true, otherContext: 'Ticket::CustomerID::Other' });
});

it('refuses permission types without rw, repeated or malformed types, and contexts sharing a value', () => {
  expect(issues({ 'System::Customer::Permission': ['ro'] })).toEqual(['System::Customer::Permission: must contain "rw" (it implies every other type)']);
  expect(issues({ 'System::Customer::Permission': ['ro', 'rw', 'ro'] })).toEqual(['System::Customer::Permission: must not repeat a type']);
  expect(issues({ 'System::Customer::Permission': ['rw', 'move into'] })[0]).toMatch(/^System::Customer::Permission\[1\]: must be a permission key/);
  expect(issues({ CustomerGroupPermissionContext: { '100-CustomerID-other': { Value: 'Ticket::CustomerID::Same' } } })).toEqual([
    'CustomerGroupPermissionContext: the two contexts need different Values',
  ]);
  expect(issues({ CustomerGroupSupport: 2 })).toEqual(['CustomerGroupSupport: must be 0 or 1']);
});
