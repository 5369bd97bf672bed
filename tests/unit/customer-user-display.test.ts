import { customerUserDisplay } from '../../src/customer-user/display';
import { loadConfig } from '../../src/config/load';

const display = (overrides: unknown = {}) =>
  customerUserDisplay(loadConfig({ localFile: null, env: {}, overrides: { CustomerUser: overrides } }).CustomerUser);

const john = { UserTitle: 'Dr.', UserFirstname: 'John', UserLastname: 'Doe', UserEmail: 'john@acme.test' };

describe('fullName', () => {
  it('joins title, first and last name, skipping empty parts', () => {
    expect(display().fullName(john)).toBe('Dr. John Doe');
    expect(display().fullName({ ...john, UserTitle: null })).toBe('John Doe');
    expect(display().fullName({ ...john, UserTitle: '' })).toBe('John Doe');
  });

  it('follows CustomerUserNameFields and CustomerUserNameFieldsJoin', () => {
    expect(display({ CustomerUserNameFields: ['last_name', 'first_name'], CustomerUserNameFieldsJoin: ', ' }).fullName(john)).toBe('Doe, John');
    expect(display({ CustomerUserNameFieldsJoin: '' }).fullName(john)).toBe('Dr.JohnDoe');
  });
});

describe('mailString', () => {
  it('quotes the name before the address, as OTOBO does', () => {
    expect(display().mailString(john)).toBe('"John Doe" <john@acme.test>');
  });

  it('keeps a lone address and text without an address as they are', () => {
    expect(display().mailString({ UserEmail: 'john@acme.test' })).toBe('john@acme.test');
    expect(display({ CustomerUserListFields: ['first_name', 'last_name'] }).mailString(john)).toBe('John Doe');
  });
});
