/**
 * The literal runs of a pattern whose only wildcard is `*`, a run of `*` counting as one:
 * `jo**n*` → `['jo', 'n', '']`. A single element means the pattern has no wildcard.
 */
export function wildcardLiterals(pattern: string): string[] {
  return pattern.split(/\*+/);
}
