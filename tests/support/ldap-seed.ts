/**
 * The test directory's contents as LDIF: a dozen customer users under ou=users (special characters
 * on purpose, for the escaping tests; one user invalid by the ValidFilter `(!(description=gesperrt))`),
 * two groups, the bind accounts, and optionally a bulk OU for size-limit and paging tests.
 */

export const SUFFIX = 'dc=example,dc=org';
export const USERS_DN = `ou=users,${SUFFIX}`;
export const BULK_DN = `ou=bulk,${SUFFIX}`;
export const GROUP_DN = `cn=portal,ou=groups,${SUFFIX}`;
export const UID_GROUP_DN = `cn=portal-uids,ou=groups,${SUFFIX}`;
export const READER = { dn: `cn=reader,${SUFFIX}`, password: 'readerpw' };
export const WRITER = { dn: `cn=writer,${SUFFIX}`, password: 'writerpw' };
export const VALID_FILTER = '(!(description=gesperrt))';

type Attributes = Readonly<Record<string, string | readonly string[]>>;

export interface SeedUser {
  readonly uid: string;
  readonly givenName: string;
  readonly sn: string;
  readonly mail: string | readonly string[];
  readonly o: string;
  readonly password: string;
  readonly cn?: string | readonly string[];
  readonly roomNumber?: string;
  readonly description?: string;
}

export const SEED_USERS: readonly SeedUser[] = [
  { uid: 'abaker', givenName: 'Alice', sn: 'Baker', mail: 'alice.baker@example.org', o: 'ACME', roomNumber: 'B2.14', password: 'alicepw' },
  { uid: 'bcarter', givenName: 'Bob', sn: 'Carter', mail: 'bob.carter@example.org', o: 'ACME', roomNumber: 'B2.15', password: 'bobpw' },
  { uid: 'cabbott', givenName: 'Carol', sn: 'Abbott', mail: 'carol.abbott@globex.example', o: 'GLOBEX', roomNumber: 'C1.01', password: 'carolpw' },
  { uid: 'dmueller', givenName: 'Dieter', sn: 'Müller', mail: 'dieter.mueller@globex.example', o: 'GLOBEX', roomNumber: 'C1.02', password: 'dieterpw' },
  {
    uid: 'eo(brien', givenName: 'Eve', sn: "O'Brien", cn: "Eve O'Brien (Ops) *lead*",
    mail: 'eve.obrien@initech.example', o: 'INITECH', roomNumber: 'I-7', password: 'evepw',
  },
  { uid: 'f*star', givenName: 'Frank', sn: 'Star', mail: 'frank.star@initech.example', o: 'INITECH', password: 'frankpw' },
  { uid: 'g\\back', givenName: 'Grace', sn: 'Back\\Slash', mail: 'grace.back@initech.example', o: 'INITECH', password: 'gracepw' },
  { uid: 'hivalid', givenName: 'Henry', sn: 'Ivalid', mail: 'henry.ivalid@example.org', o: 'ACME', description: 'gesperrt', password: 'henrypw' },
  { uid: 'ijones', givenName: 'Ian', sn: 'Jones', mail: 'Ian.Jones@Example.ORG', o: 'UMBRELLA', password: 'ianpw' },
  { uid: 'jdoe', givenName: 'John', sn: 'Doe', mail: 'john.doe@example.org', o: 'UMBRELLA', password: 'johnpw' },
  { uid: 'jdoe2', givenName: 'Jane', sn: 'Doe', mail: 'jane.doe@example.org', o: 'UMBRELLA', password: 'janepw' },
  {
    uid: 'kmulti', givenName: 'Kim', sn: 'Multi', cn: ['Kim Multi', 'Kimberly Multi'],
    mail: ['kim.multi@example.org', 'kim.second@example.org'], o: 'UMBRELLA', password: 'kimpw',
  },
  { uid: 'lwriter', givenName: 'Liam', sn: 'Writer', mail: 'liam.writer@example.org', o: 'ACME', roomNumber: 'W1', password: 'liampw' },
];

export const userDn = (uid: string, base = USERS_DN): string => `uid=${escapeDnValue(uid)},${base}`;

export function seedLdif(options: { readonly bulkUsers?: number } = {}): string {
  const entries: string[] = [
    entry(SUFFIX, { objectClass: ['top', 'dcObject', 'organization'], o: 'Example Org', dc: 'example' }),
    entry(USERS_DN, { objectClass: 'organizationalUnit', ou: 'users' }),
    entry(`ou=groups,${SUFFIX}`, { objectClass: 'organizationalUnit', ou: 'groups' }),
    ...[READER, WRITER].map((account) =>
      entry(account.dn, {
        objectClass: ['organizationalRole', 'simpleSecurityObject'],
        cn: account.dn.slice(3, account.dn.indexOf(',')),
        userPassword: account.password,
      }),
    ),
    ...SEED_USERS.map((user) => entry(userDn(user.uid), userAttributes(user))),
    entry(GROUP_DN, { objectClass: 'groupOfNames', cn: 'portal', member: ['abaker', 'bcarter', 'cabbott'].map((uid) => userDn(uid)) }),
    entry(UID_GROUP_DN, { objectClass: 'posixGroup', cn: 'portal-uids', gidNumber: '5000', memberUid: ['abaker', 'dmueller'] }),
  ];
  const bulk = options.bulkUsers ?? 0;
  if (bulk > 0) {
    entries.push(entry(BULK_DN, { objectClass: 'organizationalUnit', ou: 'bulk' }));
    for (let i = 0; i < bulk; i += 1) entries.push(entry(userDn(bulkUid(i), BULK_DN), bulkAttributes(i)));
  }
  return entries.join('\n');
}

export const bulkUid = (i: number): string => `bulk${String(i).padStart(5, '0')}`;

function userAttributes(user: SeedUser): Attributes {
  const { password, cn, ...rest } = user;
  const attributes: Record<string, string | readonly string[]> = {
    objectClass: 'inetOrgPerson',
    cn: cn ?? `${user.givenName} ${user.sn}`,
    userPassword: password,
  };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) attributes[key] = value;
  return attributes;
}

function bulkAttributes(i: number): Attributes {
  const uid = bulkUid(i);
  return {
    objectClass: 'inetOrgPerson', uid, cn: `Bulk User ${i}`, givenName: 'Bulk', sn: `User${String(i).padStart(5, '0')}`,
    mail: `${uid}@bulk.example`, o: 'BULK', roomNumber: `R${i % 100}`, userPassword: `${uid}pw`,
  };
}

/** One LDIF record; values that are not LDIF SAFE-STRINGs (non-ASCII, leading space/colon/<) in base64. */
function entry(dn: string, attributes: Attributes): string {
  const lines = [line('dn', dn)];
  for (const [name, value] of Object.entries(attributes)) {
    for (const single of typeof value === 'string' ? [value] : value) lines.push(line(name, single));
  }
  return `${lines.join('\n')}\n`;
}

function line(name: string, value: string): string {
  const safe = /^[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(value) && !value.endsWith(' ');
  return safe ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

/** RFC 4514: `\` `,` `+` `"` `<` `>` `;` `=` are escaped in a DN's attribute value. */
function escapeDnValue(value: string): string {
  return value.replace(/[\\,+"<>;=]/g, '\\$&');
}
