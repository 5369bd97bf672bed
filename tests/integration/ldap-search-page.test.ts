import { logins, useTestDirectory, recordQuery } from '../support/ldap-directory';
import { BULK_DN, bulkUid } from '../support/ldap-seed';
import { describeWithSlapd } from '../support/slapd';

/*
 * A search orders every match by the few attributes the order needs and reads only the page's
 * entries in full: the page's records are exactly the full records (those a lookup by login gives),
 * in every order and at every offset.
 */
describeWithSlapd('LDAP directory: the page of a search is read in full', () => {
  const ldap = useTestDirectory();

  it('page records equal the lookup records, for several orders, offsets and validities', async () => {
    const orders = [
      [],
      [{ attribute: 'UserLastname', descending: false }],
      [{ attribute: 'UserRoom', descending: true }, { attribute: 'UserFirstname', descending: false }],
      [{ attribute: 'ValidID', descending: true }],
    ];
    for (const orderBy of orders) {
      for (const validIds of [null, [1], [2]]) {
        const all = await ldap.directory.search(recordQuery({ search: '*', orderBy, validIds, limit: 100, withTotal: true }));
        for (const offset of [0, 3, 11]) {
          const page = await ldap.directory.search(recordQuery({ search: '*', orderBy, validIds, limit: 4, offset, withTotal: true }));
          expect(logins(page)).toEqual(logins(all).slice(offset, offset + 4));
          expect(page.totalCount).toBe(all.totalCount);
          expect(page.hasMore).toBe(all.totalCount! > offset + 4);
          const full = await ldap.directory.getByLogins(logins(page));
          const byLogin = new Map(full.map((r) => [String(r.values.UserLogin), r]));
          for (const record of page.records) expect(record).toEqual(byLogin.get(String(record.values.UserLogin)));
        }
      }
    }
  });

  it('the page’s records are complete (every Map attribute read), in the order asked', async () => {
    const page = await ldap.directory.search(recordQuery({ search: '*', limit: 13, orderBy: [{ attribute: 'UserEmail', descending: true }] }));
    expect(page.records).toHaveLength(13);
    const emails = page.records.map((r) => String(r.values.UserEmail).toLowerCase());
    expect(emails).toEqual([...emails].sort().reverse());
    expect(page.records.every((r) => r.values.UserFirstname !== null && r.values.UserLastname !== null && r.values.UserCustomerID !== null)).toBe(true);
  });
});

describeWithSlapd('LDAP directory: a page longer than one login batch', () => {
  const ldap = useTestDirectory({ bulkUsers: 250, overrides: { Params: { BaseDN: BULK_DN } } });

  it('150 entries on a page (two batches of logins) in order, complete', async () => {
    const page = await ldap.directory.search(recordQuery({ search: 'bulk', limit: 150, offset: 50, withTotal: true, orderBy: [{ attribute: 'UserLastname', descending: true }] }));
    expect(page.totalCount).toBe(250);
    expect(logins(page)).toEqual(Array.from({ length: 150 }, (_, i) => bulkUid(199 - i)));
    expect(page.records.every((r) => r.values.UserEmail === `${r.values.UserLogin}@bulk.example`)).toBe(true);
    expect(page.hasMore).toBe(true);
  });
});
