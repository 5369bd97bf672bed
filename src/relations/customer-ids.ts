/**
 * A customer user's CustomerIDs in OTOBO's order (CustomerIDs(), otobo-behaviour.md §6): the IDs of
 * a `UserCustomerIDs` Map attribute (split on the first of `;` `,` `|` that occurs), the primary
 * CustomerID unless CustomerUserExcludePrimaryCustomerID, then the extra customers
 * (customer_user_customer, by CustomerID). Unlike OTOBO no ID appears twice (compared
 * case-insensitively, as CustomerIDs are).
 */
export function customerIdsOf(
  values: { readonly UserCustomerIDs?: unknown; readonly UserCustomerID?: unknown },
  extraCustomerIds: readonly string[],
  excludePrimary: boolean,
): string[] {
  const listed = typeof values.UserCustomerIDs === 'string' ? splitCustomerIds(values.UserCustomerIDs) : [];
  const primary = typeof values.UserCustomerID === 'string' && !excludePrimary ? [values.UserCustomerID] : [];
  const result: string[] = [];
  const seen = new Set<string>();
  for (const id of [...listed, ...primary, ...extraCustomerIds]) {
    const key = id.toLowerCase();
    if (id === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(id);
  }
  return result;
}

export function splitCustomerIds(value: string): string[] {
  const separator = [';', ',', '|'].find((s) => value.includes(s));
  const parts = separator === undefined ? [value] : value.split(separator);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}
