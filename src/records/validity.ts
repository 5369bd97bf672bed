/** OTOBO's `valid` table: only id 1 counts as valid; 2 and 3 behave identically as invalid. */
export const VALIDITY_IDS = { VALID: 1, INVALID: 2, INVALID_TEMPORARILY: 3 } as const;

export type Validity = keyof typeof VALIDITY_IDS;

export const VALID_ID = VALIDITY_IDS.VALID;

export function validityName(id: number | null): Validity {
  const entry = Object.entries(VALIDITY_IDS).find(([, value]) => value === id);
  // A foreign id (an OTOBO install may add states) is invalid by OTOBO's rule.
  return (entry?.[0] as Validity | undefined) ?? 'INVALID';
}
