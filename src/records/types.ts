import type { SearchExpression } from '../search/grammar';

/**
 * Customer users and customers are both "records" of a Map: values keyed by Map attribute
 * (`UserLogin`, `CustomerCompanyName`, …). Backends translate attributes to storage; nothing above
 * a backend knows column or LDAP attribute names.
 */
export type FieldValue = string | number | null;
export type FieldValues = Readonly<Record<string, FieldValue>>;

export interface StoredRecord {
  /** The backend the record lives in (`CustomerUser`, `CustomerCompany`, …). */
  readonly source: string;
  /** Every readable Map attribute; empty strings are normalised to null. Never the password. */
  readonly values: FieldValues;
  /** ISO-8601 UTC, null for tables without OTOBO's create/change columns. */
  readonly createTime: string | null;
  readonly createBy: number | null;
  readonly changeTime: string | null;
  readonly changeBy: number | null;
}

/** A structured-search criterion on one attribute (OTOBO's CustomerSearchDetail semantics). */
export type AttributeFilter =
  /** Exact and case-insensitive, `*` is a wildcard; a value of only wildcards matches everything. */
  | { readonly attribute: string; readonly kind: 'pattern'; readonly value: string }
  /** One of these values (case-insensitive for text). */
  | { readonly attribute: string; readonly kind: 'in'; readonly values: readonly (string | number)[] }
  /** None of these values (case-insensitive for text). */
  | { readonly attribute: string; readonly kind: 'notIn'; readonly values: readonly (string | number)[] };

export interface OrderTerm {
  readonly attribute: string;
  readonly descending: boolean;
}

export interface RecordQuery {
  /** Free text in OTOBO's grammar over the backend's search fields. */
  readonly text?: SearchExpression;
  /** Exact, case-insensitive match on any of the backend's email ("postmaster") fields. */
  readonly email?: string;
  readonly filters: readonly AttributeFilter[];
  /** Validity ids to include (1 valid, 2 invalid, 3 invalid-temporarily); null = all. */
  readonly validIds: readonly number[] | null;
  /** Sort keys; the record key (ascending) is always appended as the final tie-breaker. */
  readonly orderBy: readonly OrderTerm[];
  readonly limit: number;
  readonly offset: number;
  /** Whether the exact number of matches is wanted (costs a full count). */
  readonly withTotal: boolean;
  /**
   * The Map attributes the caller reads from the records; absent = all, with the audit columns.
   * The key and the order's attributes are always read. A backend may return more.
   */
  readonly attributes?: readonly string[];
  /**
   * Not part of what is searched: the request's signal, aborted when its client goes away; a
   * database search then cancels its statement (src/db/cancellable.ts).
   */
  readonly signal?: AbortSignal;
}

export interface RecordPage {
  readonly records: readonly StoredRecord[];
  /** Exact number of matches, when asked for. */
  readonly totalCount: number | null;
  readonly hasMore: boolean;
}
