import { DomainError } from '../errors';
import type { FieldDef } from '../field-map/field-def';
import type { RecordPage, RecordQuery, StoredRecord } from '../records/types';
import type { CustomerUserBackend } from './backend';
import { recordOrder } from './merge-order';

/** Receives a non-fatal BACKEND_UNAVAILABLE: the answer goes on without that backend. */
export type ReportUnavailable = (error: DomainError) => void;

/**
 * A later backend's matches are fetched in full, up to this many, when the total is asked for:
 * enough to subtract exactly those shadowed by an earlier backend (see mergedSearch).
 */
export const EXACT_TOTAL_ROWS = 10_000;

/** The call's result, or null when the backend is unavailable and `report` takes the error. */
export async function unlessUnavailable<T>(call: () => Promise<T>, report: ReportUnavailable | undefined): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (report && error instanceof DomainError && error.code === 'BACKEND_UNAVAILABLE') {
      report(error);
      return null;
    }
    throw error;
  }
}

/**
 * The query as one backend can run it, or null when it cannot match there: a filter requiring a
 * value of an attribute the backend's Map lacks matches nothing; excluding values of it excludes
 * nothing; ordering by it orders nothing (all empty, which sorts last, as merged).
 */
export function queryFor(backend: CustomerUserBackend, query: RecordQuery): RecordQuery | null {
  const has = (attribute: string) => backend.fields.some((f) => f.attribute === attribute && f.role !== 'password');
  if (query.filters.some((f) => f.kind !== 'notIn' && !has(f.attribute))) return null;
  return { ...query, filters: query.filters.filter((f) => has(f.attribute)), orderBy: query.orderBy.filter((t) => has(t.attribute)) };
}

interface Fetched {
  readonly backend: CustomerUserBackend;
  /** The backend's query with offset 0 and the rows asked for so far, or null (cannot match / unavailable). */
  query: RecordQuery | null;
  page: RecordPage;
  /** Logins (lower-case) of its rows that an earlier backend also has: not listed (not reachable there). */
  shadowed: Set<string>;
}

const EMPTY: RecordPage = { records: [], totalCount: 0, hasMore: false };
const loginOf = (r: StoredRecord) => String(r.values.UserLogin).toLowerCase();

/**
 * One page across backends, as if one backend held all their users, each login once:
 * - Every backend is asked concurrently for its first offset+limit rows (offset 0) in the query's
 *   order; the rows are merged in that order (login the final tiebreak).
 * - A login an earlier backend has is dropped from later ones (the earlier wins, as lookups
 *   resolve it there), whether or not the earlier record matches the query.
 * - The merged rows are exact up to the last row fetched from any backend that has more; when that
 *   prefix is shorter than offset+limit+1, those backends are asked for twice as many, until the
 *   page and hasMore are exact.
 * - totalCount is the sum of the backends' totals minus the shadowed matches, exact while every
 *   backend but the first has at most EXACT_TOTAL_ROWS matches (their matches are then all fetched
 *   and checked); beyond that only the fetched ones are subtracted.
 * An unavailable backend is reported and left out.
 */
export async function mergedSearch(
  backends: readonly CustomerUserBackend[],
  query: RecordQuery,
  fields: readonly FieldDef[],
  report?: ReportUnavailable,
): Promise<RecordPage> {
  const wanted = query.offset + query.limit;
  const fetched: Fetched[] = backends.map((backend) => {
    const own = queryFor(backend, query);
    return { backend, query: own && { ...own, offset: 0, limit: wanted }, page: EMPTY, shadowed: new Set() };
  });
  const order = recordOrder(query.orderBy, fields);
  let pending = fetched.filter((f) => f.query !== null);
  let first = true;
  while (pending.length > 0) {
    await Promise.all(pending.map((f) => fetch(f, report)));
    await markShadowed(fetched, report);
    pending = [];
    if (first && query.withTotal) {
      // All of a later backend's matches, when few enough, so the shadowed ones are counted exactly.
      pending = fetched.slice(1).filter((f) => f.page.hasMore && (f.page.totalCount ?? 0) <= EXACT_TOTAL_ROWS);
      for (const f of pending) f.query = { ...f.query!, limit: f.page.totalCount! };
    }
    first = false;
    if (pending.length > 0) continue;
    const merged = fetched.flatMap((f) => f.page.records.filter((r) => !f.shadowed.has(loginOf(r)))).sort(order);
    const incomplete = fetched.filter((f) => f.page.hasMore);
    const lastKnown = incomplete.map((f) => f.page.records.at(-1)).filter((r) => r !== undefined).sort(order)[0];
    const known = lastKnown ? merged.filter((r) => order(r, lastKnown) <= 0) : merged;
    if (incomplete.length === 0 || known.length > wanted) {
      return {
        records: known.slice(query.offset, wanted),
        totalCount: query.withTotal ? fetched.reduce((sum, f) => sum + (f.page.totalCount ?? 0) - countShadowed(f), 0) : null,
        hasMore: known.length > wanted,
      };
    }
    pending = incomplete;
    for (const f of pending) f.query = { ...f.query!, limit: Math.max(1, f.query!.limit * 2) };
  }
  return { records: [], totalCount: query.withTotal ? 0 : null, hasMore: false };
}

async function fetch(f: Fetched, report: ReportUnavailable | undefined): Promise<void> {
  const page = await unlessUnavailable(() => f.backend.search(f.query!), report);
  if (!page) f.query = null;
  f.page = page ?? EMPTY;
}

/** Checks the later backends' rows against the earlier backends (one batched lookup per pair). */
async function markShadowed(fetched: Fetched[], report: ReportUnavailable | undefined): Promise<void> {
  await Promise.all(
    fetched.map(async (later, j) => {
      const logins = later.page.records.map(loginOf).filter((l) => !later.shadowed.has(l));
      if (j === 0 || logins.length === 0) return;
      const found = await Promise.all(fetched.slice(0, j).map((earlier) => unlessUnavailable(() => earlier.backend.getByLogins(logins), report)));
      for (const record of found.flat()) if (record) later.shadowed.add(loginOf(record));
    }),
  );
}

function countShadowed(f: Fetched): number {
  return f.page.records.filter((r) => f.shadowed.has(loginOf(r))).length;
}
