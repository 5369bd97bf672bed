/**
 * Derives a stable lower-camel GraphQL field name from an OTOBO Map attribute:
 *   1. a few well-known attributes whose OTOBO spelling would derive badly have fixed names
 *      (`UserFirstname` → `firstName`, `ValidID` → `validity`, `CustomerCompanyName` → `name`);
 *   2. otherwise the entity prefix (`User`, `CustomerCompany`) is dropped when a capital follows,
 *      the rest is split into words at case changes, acronym ends and underscores, and joined
 *      lower-camel with acronyms treated as words: `UserRoom` → `room`, `UserCustomerID` →
 *      `customerId`, `UserCustomerIDs` → `customerIds`, `UserDepartmentNo` → `departmentNo`,
 *      `CustomerCompanyURL` → `url`.
 * A Map row in object form may name its field explicitly (`graphqlName`), which wins over both.
 */
export function deriveGraphqlName(attribute: string, entityPrefix: string, fixedNames: Readonly<Record<string, string>>): string {
  const fixed = fixedNames[attribute];
  if (fixed !== undefined) return fixed;
  const stripped =
    attribute.startsWith(entityPrefix) && /^[A-Z]/.test(attribute.slice(entityPrefix.length))
      ? attribute.slice(entityPrefix.length)
      : attribute;
  return lowerCamel(splitWords(stripped));
}

function splitWords(text: string): string[] {
  return text
    .replace(/([A-Z]{2,})s(?=[A-Z_\s]|$)/g, '$1S') // plural acronyms stay one word: IDs → IDS
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2') // fooBar → foo Bar
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2') // URLPath → URL Path
    .split(/[\s_]+/)
    .filter((word) => word !== '');
}

function lowerCamel(words: string[]): string {
  return words
    .map((word, i) => {
      const lower = word.toLowerCase();
      return i === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join('');
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export function isGraphqlName(name: string): boolean {
  return GRAPHQL_NAME.test(name) && !name.startsWith('__');
}
