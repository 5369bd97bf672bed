import type { AppConfig } from '../config/semantics';

/** The permission settings the policy and the writes need, read once from the configuration. */
export interface PermissionSettings {
  /** CustomerGroupSupport: when off every customer user has every type on every valid group. */
  readonly support: boolean;
  /** System::Customer::Permission, in configured order; always contains `rw`. */
  readonly types: readonly string[];
  readonly alwaysGroups: readonly string[];
  readonly companyAlwaysGroups: readonly string[];
  /** The Value of the "same customer" context (company permissions inherited by its users), null when disabled. */
  readonly sameContext: string | null;
  /** The Value of the "other customers" context, null when disabled (the OTOBO default). */
  readonly otherContext: string | null;
}

/** `rw` implies every other type, everywhere. */
export const RW = 'rw';

export function permissionSettings(config: AppConfig): PermissionSettings {
  const contexts = config.CustomerGroupPermissionContext;
  const same = contexts['001-CustomerID-same'];
  const other = contexts['100-CustomerID-other'];
  return {
    support: config.CustomerGroupSupport,
    types: config['System::Customer::Permission'],
    alwaysGroups: config.CustomerGroupAlwaysGroups,
    companyAlwaysGroups: config.CustomerGroupCompanyAlwaysGroups,
    sameContext: same.Enabled ? same.Value : null,
    otherContext: other.Enabled ? other.Value : null,
  };
}

/** The contexts company permissions may be stored in. */
export function enabledContexts(settings: PermissionSettings): string[] {
  return [settings.sameContext, settings.otherContext].filter((c): c is string => c !== null);
}
