/**
 * OTOBO's CheckItem::CheckEmail without the DNS part (MX lookups need network access a
 * server cannot count on): addresses matching CheckEmailValidAddress always pass; otherwise the
 * syntax must hold and CheckEmailInvalidAddress must not match (by default it rejects the
 * reserved example.* domains, as OTOBO does). Only applied to valid users, like OTOBO.
 */
export interface EmailCheckSettings {
  readonly enabled: boolean;
  readonly alwaysValid: RegExp | null;
  readonly invalid: RegExp | null;
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/iu;

export function emailProblem(address: string, settings: EmailCheckSettings): string | null {
  if (!settings.enabled) return null;
  if (settings.alwaysValid?.test(address)) return null;
  if (!isWellFormed(address)) return `"${address}" is not a valid email address`;
  if (settings.invalid?.test(address)) return `"${address}" is not allowed as an email address (CheckEmailInvalidAddress)`;
  return null;
}

function isWellFormed(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.length > 254) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  return (
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => label.length <= 63 && DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL.test(labels[labels.length - 1]!)
  );
}
