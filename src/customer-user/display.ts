import type { CustomerUserBackendConfig } from '../config/semantics';
import type { FieldValues } from '../records/types';

/** The display strings OTOBO derives from a customer user's data (otobo-behaviour.md §4). */
export interface CustomerUserDisplay {
  /** CustomerUserNameFields joined with CustomerUserNameFieldsJoin, empty parts skipped: `Mr. John Doe`. */
  fullName(values: FieldValues): string;
  /** CustomerUserListFields joined by spaces, rewritten to `"John Doe" <john@acme.test>` when it ends in an address. */
  mailString(values: FieldValues): string;
}

const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+$/;

export function customerUserDisplay(config: CustomerUserBackendConfig): CustomerUserDisplay {
  const attributesOf = (columns: readonly string[]) =>
    columns.map((storage) => config.fields.find((f) => f.storage === storage)!.attribute);
  const nameAttributes = attributesOf(config.CustomerUserNameFields);
  const listAttributes = attributesOf(config.CustomerUserListFields);
  const nonEmpty = (values: FieldValues, attributes: readonly string[]) =>
    attributes.map((a) => values[a]).filter((v) => v !== null && v !== undefined && v !== '').map(String);

  return {
    fullName: (values) => nonEmpty(values, nameAttributes).join(config.CustomerUserNameFieldsJoin),
    mailString: (values) => {
      const text = nonEmpty(values, listAttributes).join(' ');
      const lastSpace = text.lastIndexOf(' ');
      const last = text.slice(lastSpace + 1);
      return lastSpace > 0 && LOOKS_LIKE_EMAIL.test(last) ? `"${text.slice(0, lastSpace)}" <${last}>` : text;
    },
  };
}
