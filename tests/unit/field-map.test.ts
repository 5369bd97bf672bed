import {
  buildFieldDefs,
  CUSTOMER_COMPANY_FIELD_RULES,
  CUSTOMER_USER_FIELD_RULES,
  type EntityFieldRules,
} from '../../src/field-map/field-def';
import { deriveGraphqlName } from '../../src/field-map/graphql-name';
import { parseMapRow } from '../../src/field-map/map-row';

const derive = (attribute: string, rules: EntityFieldRules) => deriveGraphqlName(attribute, rules.entityPrefix, rules.fixedNames);
const userName = (attribute: string) => derive(attribute, CUSTOMER_USER_FIELD_RULES);
const companyName = (attribute: string) => derive(attribute, CUSTOMER_COMPANY_FIELD_RULES);

const row = (attribute: string, storage: string, type: 'var' | 'int' = 'var', required = 0) => [
  attribute,
  attribute,
  storage,
  1,
  required,
  type,
  '',
  0,
  null,
  null,
];
const USER_ESSENTIALS = [row('UserLogin', 'login', 'var', 1), row('UserEmail', 'email', 'var', 1), row('UserCustomerID', 'customer_id', 'var', 1)];

describe('deriveGraphqlName (customer user rules)', () => {
  test.each([
    ['UserRoom', 'room'],
    ['UserFirstname', 'firstName'],
    ['UserLastname', 'lastName'],
    ['UserCustomerID', 'customerId'],
    ['ValidID', 'validity'],
    ['UserDepartmentNo', 'departmentNo'],
    ['Room_Number', 'roomNumber'],
    ['Department', 'department'],
    ['UserLogin', 'login'],
    ['UserEmail', 'email'],
    ['UserComment', 'comment'],
    ['UserROOM', 'room'],
    ['UserURLPath', 'urlPath'],
    ['user_room_no', 'userRoomNo'],
  ])('%s → %s', (attribute, expected) => {
    expect(userName(attribute)).toBe(expected);
  });

  test('the prefix alone is not stripped', () => {
    expect(userName('User')).toBe('user');
  });

  test('the prefix not followed by a capital is kept', () => {
    expect(userName('Username')).toBe('username');
    expect(userName('Userfoo')).toBe('userfoo');
  });

  test('plural acronyms stay one word', () => {
    expect(userName('UserCustomerIDs')).toBe('customerIds');
    expect(userName('UserURLs')).toBe('urls');
    expect(userName('UserIDsOfTeam')).toBe('idsOfTeam');
  });

  test('the prefix is only dropped before a capital letter, so names never start with a digit', () => {
    expect(userName('User2FA')).toBe('user2Fa');
  });

  test('fixed names win over derivation and only apply to their entity', () => {
    expect(CUSTOMER_USER_FIELD_RULES.fixedNames).toEqual({ UserFirstname: 'firstName', UserLastname: 'lastName', ValidID: 'validity' });
    // without the fixed names, OTOBO's spelling derives badly
    expect(deriveGraphqlName('UserFirstname', 'User', {})).toBe('firstname');
    expect(deriveGraphqlName('ValidID', 'User', {})).toBe('validId');
    // CustomerCompanyName is fixed only for companies
    expect(userName('CustomerCompanyName')).toBe('customerCompanyName');
  });
});

describe('deriveGraphqlName (customer company rules)', () => {
  test.each([
    ['CustomerCompanyName', 'name'],
    ['CustomerCompanyZIP', 'zip'],
    ['CustomerCompanyURL', 'url'],
    ['CustomerCompanyStreet', 'street'],
    ['CustomerCompanyComment', 'comment'],
    ['CustomerID', 'customerId'],
    ['ValidID', 'validity'],
    ['CustomerCompanyVATNumber', 'vatNumber'],
  ])('%s → %s', (attribute, expected) => {
    expect(companyName(attribute)).toBe(expected);
  });

  test('the user prefix is not stripped for companies', () => {
    expect(companyName('UserRoom')).toBe('userRoom');
  });
});

describe('buildFieldDefs', () => {
  test('roles of the customer-user attributes', () => {
    const { fields, issues } = buildFieldDefs(
      [
        ...USER_ESSENTIALS,
        row('UserPassword', 'pw'),
        row('ValidID', 'valid_id', 'int', 1),
        row('UserFirstname', 'first_name'),
        row('UserPhone', 'phone'),
      ],
      CUSTOMER_USER_FIELD_RULES,
    );
    expect(issues).toEqual([]);
    expect(fields.map((f) => [f.attribute, f.role, f.graphqlName])).toEqual([
      ['UserLogin', 'key', 'login'],
      ['UserEmail', 'email', 'email'],
      ['UserCustomerID', 'customerId', 'customerId'],
      ['UserPassword', 'password', 'password'],
      ['ValidID', 'validity', 'validity'],
      ['UserFirstname', 'plain', 'firstName'],
      ['UserPhone', 'plain', 'phone'],
    ]);
  });

  test('roles of the customer-company attributes', () => {
    const { fields, issues } = buildFieldDefs(
      [row('CustomerID', 'customer_id', 'var', 1), row('CustomerCompanyName', 'name', 'var', 1), row('ValidID', 'valid_id', 'int'), row('CustomerCompanyCity', 'city')],
      CUSTOMER_COMPANY_FIELD_RULES,
    );
    expect(issues).toEqual([]);
    expect(fields.map((f) => [f.attribute, f.role, f.graphqlName])).toEqual([
      ['CustomerID', 'key', 'customerId'],
      ['CustomerCompanyName', 'name', 'name'],
      ['ValidID', 'validity', 'validity'],
      ['CustomerCompanyCity', 'plain', 'city'],
    ]);
  });

  test('graphqlName in object form wins over the derived and the fixed name', () => {
    const { fields, issues } = buildFieldDefs(
      [
        ...USER_ESSENTIALS,
        { attribute: 'UserRoom', storage: 'room', graphqlName: 'office' },
        { attribute: 'UserFirstname', storage: 'first_name', graphqlName: 'givenName' },
      ],
      CUSTOMER_USER_FIELD_RULES,
    );
    expect(issues).toEqual([]);
    expect(fields.slice(3).map((f) => [f.attribute, f.graphqlName])).toEqual([
      ['UserRoom', 'office'],
      ['UserFirstname', 'givenName'],
    ]);
  });

  test('an explicit graphqlName may avoid a built-in name', () => {
    const clash = buildFieldDefs([...USER_ESSENTIALS, row('UserFullName', 'full_name')], CUSTOMER_USER_FIELD_RULES);
    expect(clash.issues).toEqual([
      {
        path: [3, 0],
        message:
          'GraphQL field name "fullName" of UserFullName clashes with the built-in field CustomerUser.fullName; give the row an explicit graphqlName',
      },
    ]);
    expect(clash.fields).toHaveLength(3);
    const renamed = buildFieldDefs(
      [...USER_ESSENTIALS, { attribute: 'UserFullName', storage: 'full_name', graphqlName: 'storedFullName' }],
      CUSTOMER_USER_FIELD_RULES,
    );
    expect(renamed.issues).toEqual([]);
    expect(renamed.fields[3]?.graphqlName).toBe('storedFullName');
  });

  test('an invalid explicit graphqlName is reported', () => {
    const { issues } = buildFieldDefs([...USER_ESSENTIALS, { attribute: 'UserRoom', storage: 'room', graphqlName: 'room-no' }], CUSTOMER_USER_FIELD_RULES);
    expect(issues).toEqual([{ path: [3, 'graphqlName'], message: 'graphqlName must be a valid GraphQL name' }]);
  });

  test('issue paths are relative to the Map', () => {
    const { issues } = buildFieldDefs([...USER_ESSENTIALS, row('UserRoom', 'room'), ['UserX', 'X', 'x', 1, 0, 'text']], CUSTOMER_USER_FIELD_RULES);
    expect(issues).toEqual([{ path: [4, 5], message: 'type must be "var" or "int"' }]);
  });

  test('missing required attributes are each reported; a row that failed to parse is not reported twice', () => {
    expect(buildFieldDefs([row('UserPhone', 'phone')], CUSTOMER_USER_FIELD_RULES).issues).toEqual([
      { path: [], message: 'a row for UserLogin is required' },
      { path: [], message: 'a row for UserEmail is required' },
      { path: [], message: 'a row for UserCustomerID is required' },
    ]);
    const broken = buildFieldDefs(
      [row('UserLogin', 'login', 'var', 1), ['UserEmail', 'Email', 'e-mail', 1, 1, 'var'], row('UserCustomerID', 'customer_id', 'var', 1)],
      CUSTOMER_USER_FIELD_RULES,
    );
    expect(broken.issues).toEqual([{ path: [1, 2], message: 'storage must be a column name (letters, digits, underscore)' }]);
  });

  test('a Map that is not an array', () => {
    expect(buildFieldDefs({ UserLogin: 'login' }, CUSTOMER_USER_FIELD_RULES)).toEqual({
      fields: [],
      issues: [{ path: [], message: 'Map must be an array of rows' }],
    });
  });

  test('special roles need their storage type', () => {
    const { issues } = buildFieldDefs(
      [row('UserLogin', 'login', 'var', 1), row('UserEmail', 'email', 'int', 1), row('UserCustomerID', 'customer_id', 'var', 1), row('ValidID', 'valid_id', 'var')],
      CUSTOMER_USER_FIELD_RULES,
    );
    expect(issues).toEqual([
      { path: [1, 5], message: 'type of UserEmail must be "var"' },
      { path: [3, 5], message: 'type of ValidID must be "int"' },
    ]);
  });
});

describe('parseMapRow', () => {
  test('tuple form maps the 10 positions', () => {
    expect(parseMapRow(['UserRoom', 'Room', 'room', 2, 1, 'int', 'https://x/[% Data.UserRoom %]', 1, '_blank', 'Popup'])).toEqual({
      issues: [],
      row: {
        attribute: 'UserRoom',
        label: 'Room',
        storage: 'room',
        show: 2,
        required: true,
        type: 'int',
        link: 'https://x/[% Data.UserRoom %]',
        readonly: true,
        linkTarget: '_blank',
        linkClass: 'Popup',
        graphqlName: null,
      },
    });
  });

  test('object form with booleans', () => {
    expect(parseMapRow({ attribute: 'UserRoom', storage: 'room', show: false, required: true, readonly: true }).row).toMatchObject({
      show: 0,
      required: true,
      readonly: true,
    });
  });

  test('an attribute that is not an identifier is refused', () => {
    expect(parseMapRow(['User Room', 'Room', 'room', 1, 0, 'var']).issues).toEqual([
      { path: [0], message: 'attribute must be an identifier (letters, digits, underscore)' },
    ]);
  });
});
