import { Client } from 'ldapts';
import { logins, openTestDirectory, useTestDirectory, recordQuery } from '../support/ldap-directory';
import { READER, USERS_DN } from '../support/ldap-seed';
import { describeWithSlapd } from '../support/slapd';

describeWithSlapd('LDAP directory: free-text search, escaping, order', () => {
  const ldap = useTestDirectory();
  const search = async (text: string) => logins(await ldap.directory.search(recordQuery({ search: text })));


  describe("OTOBO's grammar with the LDAP defaults (prefix '', suffix '*') over uid, cn, mail", () => {
    it('a term matches the start of any search attribute, case-insensitively', async () => {
      expect(await search('ab')).toEqual(['abaker']);
      expect(await search('JDOE')).toEqual(['jdoe', 'jdoe2']);
      expect(await search('*müller')).toEqual(['dmueller']);
    });

    it('a typed * is a wildcard; * alone matches everyone', async () => {
      expect(await search('*ab')).toEqual(['abaker', 'cabbott']);
      expect(await search('j*n')).toEqual(['jdoe', 'jdoe2']);
      expect((await ldap.directory.search(recordQuery({ search: '*', withTotal: true }))).totalCount).toBe(13);
    });

    it('whitespace does not split a term; + ANDs terms, each over all attributes', async () => {
      expect(await search('Alice Baker')).toEqual(['abaker']);
      expect(await search('john+*doe')).toEqual(['jdoe']);
      expect(await search('j*+*doe')).toEqual(['jdoe', 'jdoe2']);
      expect(await search('john+')).toEqual(['jdoe']);
    });

    it('OR and negation', async () => {
      expect(await search('jane OR kim')).toEqual(['jdoe2', 'kmulti']);
      expect(await search('*doe+!jane')).toEqual(['jdoe']);
    });

    it('quotes keep operators literal', async () => {
      expect(await search('jdoe OR kim')).toEqual(['jdoe', 'jdoe2', 'kmulti']);
      expect(await search('"jdoe OR kim"')).toEqual([]);
    });

    it('CustomerUserSearchPrefix * makes terms match anywhere', async () => {
      const anywhere = openTestDirectory(ldap.slapd, { CustomerUserSearchPrefix: '*' });
      try {
        expect(logins(await anywhere.search(recordQuery({ search: 'ab' })))).toEqual(['abaker', 'cabbott']);
      } finally {
        await anywhere.close();
      }
    });
  });

  describe('escaping: typed values never change the filter', () => {
    it('the classic injection matches nothing (a concatenated string filter would match everyone)', async () => {
      const evil = '*)(uid=*';
      expect(await search(evil)).toEqual([]);
      expect(await ldap.directory.getByLogins([evil])).toEqual([]);
      expect(await ldap.directory.loginsByEmail(`x${evil}`)).toEqual([]);
      expect(await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserLogin', kind: 'in', values: [evil] }] }))).toMatchObject({ records: [] });

      // The same input concatenated into a string filter, for contrast.
      const client = new Client({ url: ldap.slapd.url });
      try {
        await client.bind(READER.dn, READER.password);
        const { searchEntries } = await client.search(USERS_DN, { scope: 'one', filter: `(|(uid=${evil}*))` });
        expect(searchEntries.length).toBeGreaterThan(10);
      } finally {
        await client.unbind();
      }
    });

    it('parentheses are literal characters', async () => {
      expect(await search('eo(brien')).toEqual(['eo(brien']);
      expect(await search('*(ops)')).toEqual(['eo(brien']);
      expect(await search('*)')).toEqual(['eo(brien']);
      expect(await search('(')).toEqual([]);
      expect((await ldap.directory.getByLogins(['eo(brien'])).map((r) => r.values.UserLogin)).toEqual(['eo(brien']);
    });

    it('a backslash is a literal character (not an escape)', async () => {
      expect((await ldap.directory.getByLogins(['g\\back'])).map((r) => r.values.UserLogin)).toEqual(['g\\back']);
      expect(await search('*\\')).toEqual(['g\\back']);
      expect(await search('\\')).toEqual([]);
      expect(await search('\\67')).toEqual([]); // would be `g` if it were taken as an escape
    });

    it('exact lookups take * literally: only the entry whose login contains a real asterisk', async () => {
      expect((await ldap.directory.getByLogins(['f*star'])).map((r) => r.values.UserLogin)).toEqual(['f*star']);
      expect(await ldap.directory.getByLogins(['f*'])).toEqual([]);
      expect(await ldap.directory.getByLogins(['*'])).toEqual([]);
      expect(await ldap.directory.loginsByEmail('*')).toEqual([]);
    });

    it('NUL matches nothing and breaks nothing', async () => {
      expect(await search('abaker\u0000')).toEqual([]);
      expect(await ldap.directory.getByLogins(['abaker\u0000'])).toEqual([]);
      expect(await ldap.directory.loginsByEmail('\u0000')).toEqual([]);
    });
  });

  describe('order, limit, offset', () => {
    const acme = { attribute: 'UserCustomerID', kind: 'in', values: ['ACME', 'UMBRELLA'] } as const;

    it('by the query order, case-insensitively, login as the tie-breaker in both directions', async () => {
      const up = await ldap.directory.search(recordQuery({ filters: [acme], orderBy: [{ attribute: 'UserLastname', descending: false }] }));
      expect(logins(up)).toEqual(['abaker', 'bcarter', 'jdoe', 'jdoe2', 'hivalid', 'ijones', 'kmulti', 'lwriter']);
      const down = await ldap.directory.search(recordQuery({ filters: [acme], orderBy: [{ attribute: 'UserLastname', descending: true }] }));
      expect(logins(down)).toEqual(['lwriter', 'kmulti', 'ijones', 'hivalid', 'jdoe', 'jdoe2', 'bcarter', 'abaker']);
    });

    it('empty values last in either direction', async () => {
      for (const descending of [false, true]) {
        const page = await ldap.directory.search(recordQuery({ filters: [acme], orderBy: [{ attribute: 'UserRoom', descending }] }));
        expect(logins(page).slice(-5)).toEqual(['hivalid', 'ijones', 'jdoe', 'jdoe2', 'kmulti']);
      }
    });

    it('limit and offset cut the ordered matches; hasMore and the total are exact', async () => {
      const first = await ldap.directory.search(recordQuery({ search: '*', limit: 5, withTotal: true }));
      expect(first).toMatchObject({ totalCount: 13, hasMore: true });
      expect(logins(first)).toEqual(['abaker', 'bcarter', 'cabbott', 'dmueller', 'eo(brien']);
      const last = await ldap.directory.search(recordQuery({ search: '*', limit: 5, offset: 10 }));
      expect(last).toMatchObject({ totalCount: null, hasMore: false });
      expect(logins(last)).toEqual(['jdoe2', 'kmulti', 'lwriter']);
      const exact = await ldap.directory.search(recordQuery({ search: '*', limit: 13 }));
      expect(exact.hasMore).toBe(false);
    });
  });
});
