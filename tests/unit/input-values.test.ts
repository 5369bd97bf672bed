import { GraphQLError } from 'graphql';
import defaults from '../../config/defaults.json';
import type { ColumnInfo } from '../../src/backends/db/table-columns';
import { buildFieldDefs, CUSTOMER_COMPANY_FIELD_RULES, CUSTOMER_USER_FIELD_RULES, type FieldDef } from '../../src/field-map/field-def';
import { checkInputValues, invalidInput, type InputIssue } from '../../src/records/input-values';
import type { FieldValue } from '../../src/records/types';

function fieldsOf(map: unknown[], rules = CUSTOMER_USER_FIELD_RULES): FieldDef[] {
  const { fields, issues } = buildFieldDefs(map, rules);
  expect(issues).toEqual([]);
  return fields;
}

// The default Map plus two integer rows on an `integer` column (optional and required).
const FIELDS = fieldsOf([
  ...(defaults.CustomerUser.Map as unknown[]),
  ['UserRoomNo', 'Room number', 'room_no', 1, 0, 'int'],
  ['UserFloor', 'Floor', 'floor', 1, 0, 'int'],
]);

const text = (name: string, maxLength: number | null): ColumnInfo => ({ name, dataType: 'character varying', maxLength, mustBeGiven: false });
const int = (name: string, dataType: string): ColumnInfo => ({ name, dataType, maxLength: null, mustBeGiven: false });
// Column sizes of OTOBO's customer_user (otobo-behaviour.md §1.2).
const COLUMNS = new Map<string, ColumnInfo>(
  [
    text('login', 191),
    text('email', 150),
    text('customer_id', 150),
    text('pw', 128),
    text('title', 50),
    text('first_name', 100),
    text('last_name', 100),
    text('phone', 150),
    text('comments', 250),
    int('valid_id', 'smallint'),
    int('room_no', 'integer'),
    int('floor', 'bigint'),
  ].map((c) => [c.name, c]),
);

const COMPLETE: Readonly<Record<string, FieldValue>> = {
  UserFirstname: 'John',
  UserLastname: 'Doe',
  UserLogin: 'jdoe',
  UserEmail: 'john.doe@acme.test',
  UserCustomerID: 'acme',
  ValidID: 1,
};

const check = (given: Record<string, FieldValue | undefined>, mode: 'create' | 'update' = 'create') =>
  checkInputValues(FIELDS, given, mode, COLUMNS);

describe('checkInputValues: required fields', () => {
  test('a complete create passes and returns exactly the given values', () => {
    expect(check(COMPLETE)).toEqual({ values: { ...COMPLETE }, issues: [] });
  });

  test('create requires every required field', () => {
    expect(check({}).issues).toEqual([
      { field: 'firstName', message: 'firstName is required' },
      { field: 'lastName', message: 'lastName is required' },
      { field: 'login', message: 'login is required' },
      { field: 'email', message: 'email is required' },
      { field: 'customerId', message: 'customerId is required' },
      { field: 'validity', message: 'validity is required' },
    ]);
  });

  test('create with one required field missing names only that field', () => {
    const { UserLastname: _omitted, ...rest } = COMPLETE;
    expect(check(rest).issues).toEqual([{ field: 'lastName', message: 'lastName is required' }]);
  });

  test('null and whitespace-only count as empty on create', () => {
    const { issues, values } = check({ ...COMPLETE, UserFirstname: '   ', UserLastname: null, UserEmail: '\t\n ' });
    expect(issues).toEqual([
      { field: 'firstName', message: 'firstName is required' },
      { field: 'lastName', message: 'lastName is required' },
      { field: 'email', message: 'email is required' },
    ]);
    expect(values.UserFirstname).toBeNull();
  });

  test('optional fields may be left out or empty on create; empty becomes null', () => {
    const { issues, values } = check({ ...COMPLETE, UserPhone: '  ', UserTitle: '' });
    expect(issues).toEqual([]);
    expect(values).toEqual({ ...COMPLETE, UserPhone: null, UserTitle: null });
    expect('UserCity' in values).toBe(false);
  });

  test('update only checks what is given', () => {
    expect(check({ UserPhone: '+49 30 1234' }, 'update')).toEqual({ values: { UserPhone: '+49 30 1234' }, issues: [] });
    expect(check({}, 'update')).toEqual({ values: {}, issues: [] });
  });

  test('update may not clear a required field', () => {
    expect(check({ UserLastname: '  ' }, 'update').issues).toEqual([
      { field: 'lastName', message: 'lastName is required and cannot be cleared' },
    ]);
    expect(check({ UserEmail: null, ValidID: null }, 'update').issues).toEqual([
      { field: 'email', message: 'email is required and cannot be cleared' },
      { field: 'validity', message: 'validity is required and cannot be cleared' },
    ]);
  });

  test('update may clear an optional field (→ null)', () => {
    expect(check({ UserPhone: '', UserComment: '   ', UserTitle: null, UserRoomNo: null }, 'update')).toEqual({
      values: { UserPhone: null, UserComment: null, UserTitle: null, UserRoomNo: null },
      issues: [],
    });
  });

  test('the password row is never handled here', () => {
    const { values, issues } = check({ ...COMPLETE, UserPassword: 'secret' });
    expect(issues).toEqual([]);
    expect('UserPassword' in values).toBe(false);
  });

  test('values for attributes that are not in the Map are dropped', () => {
    expect(check({ ...COMPLETE, UserShoeSize: '44' }).values).toEqual({ ...COMPLETE });
  });
});

describe('checkInputValues: normalisation', () => {
  test('identifiers (login, email, customerId) are trimmed', () => {
    const { values, issues } = check({ ...COMPLETE, UserLogin: '  jdoe ', UserEmail: '\tjohn.doe@acme.test\n', UserCustomerID: ' acme ' });
    expect(issues).toEqual([]);
    expect(values).toMatchObject({ UserLogin: 'jdoe', UserEmail: 'john.doe@acme.test', UserCustomerID: 'acme' });
  });

  test('other text is kept as typed', () => {
    const { values, issues } = check({ ...COMPLETE, UserFirstname: '  John ', UserComment: ' line 1\nline 2\t' });
    expect(issues).toEqual([]);
    expect(values.UserFirstname).toBe('  John ');
    expect(values.UserComment).toBe(' line 1\nline 2\t');
  });

  test.each([
    ['UserLogin', 'login', 'jd\u0000oe'],
    ['UserLogin', 'login', 'jd\toe'],
    ['UserEmail', 'email', 'john\n.doe@acme.test'],
    ['UserCustomerID', 'customerId', 'ac\u007fme'],
  ])('%s with a control character (case %#) is refused', (attribute, field, value) => {
    const [issue] = check({ ...COMPLETE, [attribute]: value }).issues;
    expect(issue).toMatchObject({ field, reason: 'INVISIBLE_CHARACTER' });
    expect(issue!.message).toMatch(new RegExp(`^${field} must not contain control, bidi or invisible characters \\(found U\\+00[017][0-9A-F]\\)$`));
  });

  test.each([
    ['U+0085', '\u0085'],
    ['U+202E', '\u202e'],
    ['U+200B', '\u200b'],
    ['U+2028', '\u2028'],
    ['U+2066', '\u2066'],
    ['U+061C', '\u061c'],
    ['U+FEFF', '\ufeff'],
  ])('a login holding %s inside is refused, naming the code point', (codePoint, char) => {
    expect(check({ ...COMPLETE, UserLogin: `jd${char}oe` }).issues).toEqual([
      { field: 'login', message: `login must not contain control, bidi or invisible characters (found ${codePoint})`, reason: 'INVISIBLE_CHARACTER' },
    ]);
  });

  test('identifiers are NFC-normalised; other text is not', () => {
    const decomposed = 'jose\u0301';
    const { values, issues } = check({ ...COMPLETE, UserLogin: decomposed, UserEmail: `${decomposed}@acme.test`, UserFirstname: decomposed });
    expect(issues).toEqual([]);
    expect(values).toMatchObject({ UserLogin: 'jos\u00e9', UserEmail: 'jos\u00e9@acme.test', UserFirstname: decomposed });
  });

  test('trailing newlines of identifiers are trimmed, not refused', () => {
    expect(check({ ...COMPLETE, UserLogin: 'jdoe\n' })).toEqual({ values: { ...COMPLETE }, issues: [] });
  });

  test('a company name is an identifier too (trimmed, no control characters)', () => {
    const companyFields = fieldsOf(defaults.CustomerCompany.Map as unknown[], CUSTOMER_COMPANY_FIELD_RULES);
    const columns = new Map<string, ColumnInfo>([['name', text('name', 191)], ['customer_id', text('customer_id', 150)]]);
    expect(checkInputValues(companyFields, { CustomerID: ' acme ', CustomerCompanyName: ' Acme Inc. ', ValidID: 1 }, 'create', columns)).toEqual({
      values: { CustomerID: 'acme', CustomerCompanyName: 'Acme Inc.', ValidID: 1 },
      issues: [],
    });
    expect(checkInputValues(companyFields, { CustomerCompanyName: 'Acme\u0007' }, 'update', columns).issues).toEqual([
      { field: 'name', message: 'name must not contain control, bidi or invisible characters (found U+0007)', reason: 'INVISIBLE_CHARACTER' },
    ]);
  });
});

describe('checkInputValues: lengths and ranges', () => {
  test('text up to the column length passes, one more character is refused', () => {
    expect(check({ ...COMPLETE, UserTitle: 'x'.repeat(50) }).issues).toEqual([]);
    expect(check({ ...COMPLETE, UserTitle: 'x'.repeat(51) }).issues).toEqual([
      { field: 'title', message: 'title is longer than 50 characters (51)' },
    ]);
  });

  test('length counts characters, not bytes or UTF-16 units', () => {
    expect(check({ ...COMPLETE, UserFirstname: 'ü'.repeat(100) }).issues).toEqual([]);
    expect(check({ ...COMPLETE, UserFirstname: 'ü'.repeat(101) }).issues).toEqual([
      { field: 'firstName', message: 'firstName is longer than 100 characters (101)' },
    ]);
    // astral characters are one character each (two UTF-16 units)
    expect(check({ ...COMPLETE, UserTitle: '😀'.repeat(50) }).issues).toEqual([]);
  });

  test('identifiers are measured after trimming, other text as typed', () => {
    expect(check({ ...COMPLETE, UserLogin: ` ${'l'.repeat(191)} ` }).issues).toEqual([]);
    expect(check({ ...COMPLETE, UserTitle: ` ${'t'.repeat(49)} ` }).issues).toEqual([
      { field: 'title', message: 'title is longer than 50 characters (51)' },
    ]);
  });

  test('the limit comes from the columns map', () => {
    const narrow = new Map(COLUMNS).set('login', text('login', 4));
    expect(checkInputValues(FIELDS, { UserLogin: 'jdoe1' }, 'update', narrow).issues).toEqual([
      { field: 'login', message: 'login is longer than 4 characters (5)' },
    ]);
    const unbounded = new Map(COLUMNS).set('title', text('title', null));
    expect(checkInputValues(FIELDS, { UserTitle: 'x'.repeat(5000) }, 'update', unbounded).issues).toEqual([]);
    // a column the map does not know (e.g. not read yet) has no limit
    expect(check({ UserCity: 'c'.repeat(5000) }, 'update').issues).toEqual([]);
  });

  test('smallint range (valid_id)', () => {
    expect(check({ ValidID: 32767 }, 'update').issues).toEqual([]);
    expect(check({ ValidID: -32768 }, 'update').issues).toEqual([]);
    expect(check({ ValidID: 32768 }, 'update').issues).toEqual([{ field: 'validity', message: 'validity must be between -32768 and 32767' }]);
    expect(check({ ValidID: -32769 }, 'update').issues).toEqual([{ field: 'validity', message: 'validity must be between -32768 and 32767' }]);
  });

  test('integer range', () => {
    expect(check({ UserRoomNo: 2147483647 }, 'update').issues).toEqual([]);
    expect(check({ UserRoomNo: -2147483648 }, 'update').issues).toEqual([]);
    expect(check({ UserRoomNo: 2147483648 }, 'update').issues).toEqual([
      { field: 'roomNo', message: 'roomNo must be between -2147483648 and 2147483647' },
    ]);
    expect(check({ UserRoomNo: -2147483649 }, 'update').issues).toEqual([
      { field: 'roomNo', message: 'roomNo must be between -2147483648 and 2147483647' },
    ]);
  });

  test('a bigint column has no range check here, but fractions are refused for every integer column', () => {
    expect(check({ UserFloor: 2147483648 }, 'update').issues).toEqual([]);
    expect(check({ UserRoomNo: 1.5, UserFloor: 0.5 }, 'update').issues).toEqual([
      { field: 'roomNo', message: 'roomNo must be a whole number' },
      { field: 'floor', message: 'floor must be a whole number' },
    ]);
  });

  test('every problem is reported, in Map order', () => {
    const { issues } = check({ ...COMPLETE, UserTitle: 't'.repeat(60), UserLogin: 'a\u0001b', ValidID: 70000, UserLastname: ' ' });
    expect(issues).toEqual([
      { field: 'title', message: 'title is longer than 50 characters (60)' },
      { field: 'lastName', message: 'lastName is required' },
      { field: 'login', message: 'login must not contain control, bidi or invisible characters (found U+0001)', reason: 'INVISIBLE_CHARACTER' },
      { field: 'validity', message: 'validity must be between -32768 and 32767' },
    ]);
  });
});

describe('invalidInput', () => {
  const issues: InputIssue[] = [
    { field: 'email', message: 'email is required' },
    { field: 'title', message: 'title is longer than 50 characters (51)' },
  ];

  test('one BAD_USER_INPUT error naming the first issue and listing all', () => {
    const error = invalidInput(issues);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toBe('email is required');
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'email',
      reason: 'INVALID_FIELD',
      invalidFields: [
        { field: 'email', message: 'email is required' },
        { field: 'title', message: 'title is longer than 50 characters (51)' },
      ],
    });
  });

  test('works with the issues checkInputValues produces', () => {
    const error = invalidInput(check({ ...COMPLETE, UserLogin: ' ', UserCustomerID: null }).issues);
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.extensions.field).toBe('login');
    expect(error.extensions.invalidFields).toEqual([
      { field: 'login', message: 'login is required' },
      { field: 'customerId', message: 'customerId is required' },
    ]);
  });
});
