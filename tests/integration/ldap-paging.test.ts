import { logins, openTestDirectory, useTestDirectory, recordQuery } from '../support/ldap-directory';
import { BULK_DN, bulkUid } from '../support/ldap-seed';
import { describeWithSlapd } from '../support/slapd';

const BULK = 10000;

describeWithSlapd('LDAP directory: 10,000 entries behind a server size limit of 500', () => {
  const ldap = useTestDirectory({ bulkUsers: BULK, overrides: { Params: { BaseDN: BULK_DN } } });


  it('more matches than the page: the first page in login order and hasMore, never an error', async () => {
    const page = await ldap.directory.search(recordQuery({ search: '*', limit: 50, validIds: [1] }));
    expect(page.records).toHaveLength(50);
    expect(page.hasMore).toBe(true);
    expect(logins(page)[0]).toBe(bulkUid(0));
    expect(logins(page)[49]).toBe(bulkUid(49));
  });

  it('the exact total past the size limit, and an offset deep into the tree', async () => {
    const deep = await ldap.directory.search(recordQuery({ search: '*', limit: 50, offset: 9990, withTotal: true }));
    expect(deep.totalCount).toBe(BULK);
    expect(deep.hasMore).toBe(false);
    expect(logins(deep)).toEqual(Array.from({ length: 10 }, (_, i) => bulkUid(9990 + i)));
  });

  it('a narrower search counts exactly, ordered by another attribute', async () => {
    const page = await ldap.directory.search(
      recordQuery({ search: 'bulk01*', limit: 3, offset: 600, withTotal: true, orderBy: [{ attribute: 'UserRoom', descending: true }] }),
    );
    expect(page.totalCount).toBe(1000);
    // Rooms R0…R99 hold 10 of these users each. Descending as text: R99…R90, R9, R89…R80, R8, …, so
    // the 60 rooms before offset 600 are R99…R50 with R9…R5 (55) and R49…R45 (5): the page is in R44.
    expect(page.records.map((r) => r.values.UserRoom)).toEqual(['R44', 'R44', 'R44']);
    expect(page.hasMore).toBe(true);
  });

  it('a batch of 1,000 logins is read in chunks', async () => {
    const wanted = Array.from({ length: 1000 }, (_, i) => bulkUid(i * 10));
    const records = await ldap.directory.getByLogins(wanted);
    expect(records.map((r) => r.values.UserLogin).sort()).toEqual(wanted);
  });

  it('small paged-results pages read the same', async () => {
    const small = openTestDirectory(ldap.slapd, { Params: { BaseDN: BULK_DN, PageSize: 100 } });
    try {
      expect((await small.search(recordQuery({ search: 'bulk0*', limit: 1, withTotal: true, validIds: [1] }))).totalCount).toBe(BULK);
    } finally {
      await small.close();
    }
  });

  it('an account the server caps at 500 even when paging: BACKEND_UNAVAILABLE (SIZE_LIMIT), not a silently cut list', async () => {
    const anonymous = openTestDirectory(ldap.slapd, { Params: { BaseDN: BULK_DN, UserDN: undefined, UserPwEnv: undefined } });
    try {
      await expect(anonymous.search(recordQuery({ search: '*', limit: 10 }))).rejects.toMatchObject({
        extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1', reason: 'SIZE_LIMIT' },
      });
      // Below the limit it answers.
      expect(logins(await anonymous.search(recordQuery({ search: 'bulk0000*' })))).toHaveLength(10);
    } finally {
      await anonymous.close();
    }
  });
});
