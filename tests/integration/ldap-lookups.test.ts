import { logins, openTestDirectory, useTestDirectory, recordQuery } from '../support/ldap-directory';
import { GROUP_DN, UID_GROUP_DN } from '../support/ldap-seed';
import { describeWithSlapd } from '../support/slapd';

describeWithSlapd('LDAP directory: lookups, filters, validity, groups', () => {
  const ldap = useTestDirectory();


  describe('getByLogins', () => {
    it('maps an entry through the Map, room included', async () => {
      const [record] = await ldap.directory.getByLogins(['abaker']);
      expect(record).toEqual({
        source: 'CustomerUser1',
        values: {
          UserFirstname: 'Alice', UserLastname: 'Baker', UserLogin: 'abaker', UserEmail: 'alice.baker@example.org',
          UserCustomerID: 'ACME', UserRoom: 'B2.14', UserComment: null, ValidID: 1,
        },
        createTime: null, createBy: null, changeTime: null, changeBy: null,
      });
    });

    it('finds logins case-insensitively, leaves unknown ones out, one record per login', async () => {
      const records = await ldap.directory.getByLogins(['ABaker', 'bcarter', 'nobody', 'BCARTER']);
      expect(records.map((r) => r.values.UserLogin).sort()).toEqual(['abaker', 'bcarter']);
    });

    it('batches beyond one filter (chunks) and returns each found login once', async () => {
      const many = [...Array.from({ length: 250 }, (_, i) => `missing${i}`), 'jdoe', 'jdoe2', 'kmulti'];
      const records = await ldap.directory.getByLogins(many);
      expect(records.map((r) => r.values.UserLogin).sort()).toEqual(['jdoe', 'jdoe2', 'kmulti']);
    });

    it('takes the first value of a multi-valued attribute', async () => {
      const [record] = await ldap.directory.getByLogins(['kmulti']);
      expect(record!.values.UserEmail).toBe('kim.multi@example.org');
    });

    it('reads non-ASCII values as UTF-8 and returns invalid users with ValidID 2', async () => {
      const [dieter] = await ldap.directory.getByLogins(['dmueller']);
      expect(dieter!.values.UserLastname).toBe('Müller');
      const [henry] = await ldap.directory.getByLogins(['hivalid']);
      expect(henry!.values.ValidID).toBe(2);
    });

    it('an empty batch asks nothing', async () => {
      expect(await ldap.directory.getByLogins([])).toEqual([]);
    });
  });

  describe('loginsByEmail', () => {
    it('is exact and case-insensitive, over the postmaster attributes (every value)', async () => {
      expect(await ldap.directory.loginsByEmail('ian.jones@example.org')).toEqual(['ijones']);
      expect(await ldap.directory.loginsByEmail('KIM.SECOND@example.org')).toEqual(['kmulti']);
      expect(await ldap.directory.loginsByEmail('ian.jones@example')).toEqual([]);
      expect(await ldap.directory.loginsByEmail('*@example.org')).toEqual([]);
    });

    it('the email query of a search', async () => {
      expect(logins(await ldap.directory.search(recordQuery({ email: 'Carol.Abbott@globex.example' })))).toEqual(['cabbott']);
    });
  });

  describe('filters', () => {
    it('by CustomerID (in), exact and case-insensitive, in login order', async () => {
      const page = await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserCustomerID', kind: 'in', values: ['globex', 'INITECH'] }] }));
      expect(logins(page)).toEqual(['cabbott', 'dmueller', 'eo(brien', 'f*star', 'g\\back']);
    });

    it('pattern: exact without *, wildcards with it', async () => {
      const exact = await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserCustomerID', kind: 'pattern', value: 'acm' }] }));
      expect(logins(exact)).toEqual([]);
      const wild = await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserRoom', kind: 'pattern', value: 'b2.*' }] }));
      expect(logins(wild)).toEqual(['abaker', 'bcarter']);
      const all = await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserRoom', kind: 'pattern', value: '**' }], withTotal: true }));
      expect(all.totalCount).toBe(13);
    });

    it('notIn keeps entries without the attribute', async () => {
      const page = await ldap.directory.search(
        recordQuery({ filters: [{ attribute: 'UserCustomerID', kind: 'notIn', values: ['ACME', 'UMBRELLA', 'INITECH'] }] }),
      );
      expect(logins(page)).toEqual(['cabbott', 'dmueller']);
      const rooms = await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserRoom', kind: 'notIn', values: ['B2.14'] }], withTotal: true }));
      expect(rooms.totalCount).toBe(12);
    });

    it('an empty in-list matches nothing, an empty notIn everything', async () => {
      expect(logins(await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserLogin', kind: 'in', values: [] }] })))).toEqual([]);
      const all = await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserLogin', kind: 'notIn', values: [] }], withTotal: true }));
      expect(all.totalCount).toBe(13);
    });
  });

  describe('validity (CustomerUserValidFilter)', () => {
    it('validIds [1] leaves out entries not matching the filter, [2] keeps only those', async () => {
      const valid = await ldap.directory.search(recordQuery({ validIds: [1], filters: [{ attribute: 'UserCustomerID', kind: 'in', values: ['ACME'] }] }));
      expect(logins(valid)).toEqual(['abaker', 'bcarter', 'lwriter']);
      const invalid = await ldap.directory.search(recordQuery({ validIds: [2, 3] }));
      expect(invalid.records.map((r) => [r.values.UserLogin, r.values.ValidID])).toEqual([['hivalid', 2]]);
      expect(logins(await ldap.directory.search(recordQuery({ validIds: [3] })))).toEqual([]);
    });

    it('all validities: each record says which it is', async () => {
      const page = await ldap.directory.search(recordQuery({ filters: [{ attribute: 'UserCustomerID', kind: 'in', values: ['ACME'] }] }));
      expect(page.records.map((r) => [r.values.UserLogin, r.values.ValidID])).toEqual([['abaker', 1], ['bcarter', 1], ['hivalid', 2], ['lwriter', 1]]);
    });

    it('a filter on ValidID works like validIds', async () => {
      const page = await ldap.directory.search(recordQuery({ filters: [{ attribute: 'ValidID', kind: 'notIn', values: [1] }] }));
      expect(logins(page)).toEqual(['hivalid']);
    });

    it('without a ValidFilter every user is valid', async () => {
      const plain = openTestDirectory(ldap.slapd, { CustomerUserValidFilter: null });
      try {
        const [henry] = await plain.getByLogins(['hivalid']);
        expect(henry!.values.ValidID).toBe(1);
        expect(logins(await plain.search(recordQuery({ validIds: [2] })))).toEqual([]);
      } finally {
        await plain.close();
      }
    });
  });

  describe('group restriction (GroupDN)', () => {
    it('UserAttr DN: only members whose DN the group lists', async () => {
      const grouped = openTestDirectory(ldap.slapd, { Params: { GroupDN: GROUP_DN, AccessAttr: 'member', UserAttr: 'DN' } });
      try {
        expect(logins(await grouped.search(recordQuery()))).toEqual(['abaker', 'bcarter', 'cabbott']);
        expect((await grouped.getByLogins(['abaker', 'dmueller'])).map((r) => r.values.UserLogin)).toEqual(['abaker']);
      } finally {
        await grouped.close();
      }
    });

    it('UserAttr UID (OTOBO default, memberUid): members by login', async () => {
      const grouped = openTestDirectory(ldap.slapd, { Params: { GroupDN: UID_GROUP_DN } });
      try {
        expect(logins(await grouped.search(recordQuery()))).toEqual(['abaker', 'dmueller']);
        expect(await grouped.authenticate('bcarter', 'bobpw')).toBe('bad-credentials');
        expect(await grouped.authenticate('dmueller', 'dieterpw')).toBe('ok');
      } finally {
        await grouped.close();
      }
    });

    it('a group that does not exist has no members', async () => {
      const grouped = openTestDirectory(ldap.slapd, { Params: { GroupDN: 'cn=nope,ou=groups,dc=example,dc=org' } });
      try {
        expect(logins(await grouped.search(recordQuery()))).toEqual([]);
      } finally {
        await grouped.close();
      }
    });
  });
});
