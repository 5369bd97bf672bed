import type { ServiceInfo } from './service-rows';

/** OTOBO keeps a service's whole path in its name: `Parent::Child`. */
export const SEPARATOR = '::';

export function shortName(fullName: string): string {
  const at = fullName.lastIndexOf(SEPARATOR);
  return at < 0 ? fullName : fullName.slice(at + SEPARATOR.length);
}

export function parentName(fullName: string): string | null {
  const at = fullName.lastIndexOf(SEPARATOR);
  return at < 0 ? null : fullName.slice(0, at);
}

export function isDescendantName(name: string, ancestor: string): boolean {
  return name.startsWith(ancestor + SEPARATOR);
}

/** The parent of a service: the service named by its path prefix (none when missing, as in broken OTOBO data). */
export function parentOf(service: ServiceInfo, all: readonly ServiceInfo[]): ServiceInfo | null {
  const parent = parentName(service.name);
  return parent === null ? null : (all.find((s) => s.name === parent) ?? null);
}

export function childrenOf(service: ServiceInfo | null, all: readonly ServiceInfo[]): ServiceInfo[] {
  return all.filter((s) => (service === null ? parentOf(s, all) === null : parentName(s.name) === service.name));
}
