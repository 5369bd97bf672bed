import type { ObjectRef } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import { badInput } from '../../errors';
import type { FieldDef } from '../../field-map/field-def';
import type { AppConfig } from '../../config/semantics';
import { parseSearch, type SearchExpression } from '../../search/grammar';
import { searchLimitProblem } from '../../search/search-limits';
import type { AttributeFilter, OrderTerm, RecordPage, RecordQuery, StoredRecord } from '../../records/types';
import { normaliseIdentifier } from '../../records/identifier';
import { VALID_ID } from '../../records/validity';
import type { Builder, Types } from '../builder';
import type { GraphQLContext } from '../context';
import { filtersFromInput } from '../map-fields';
import { fieldsSelectedUnder, selectsField } from '../selection';

/** A page of search results, with what the client needs to page on. */
export interface RecordList {
  readonly page: RecordPage;
  readonly limit: number;
  readonly offset: number;
}

export function registerRecordList(builder: Builder, name: string, node: ObjectRef<Types, StoredRecord>) {
  return builder.objectRef<RecordList>(name).implement({
    description: 'One page of results in a defined order (the sort keys, then the record key).',
    fields: (t) => ({
      nodes: t.field({ type: [node], resolve: (list) => [...list.page.records] }),
      totalCount: t.int({
        description: 'Exact number of matches (computed only when selected).',
        resolve: (list) => list.page.totalCount ?? 0,
      }),
      hasMore: t.boolean({ description: 'Whether results exist beyond this page.', resolve: (list) => list.page.hasMore }),
      limit: t.exposeInt('limit'),
      offset: t.exposeInt('offset'),
    }),
  });
}

/** The search arguments as GraphQL gives them. */
export interface SearchArgs {
  readonly search?: string | null;
  readonly email?: string | null;
  readonly filter?: Readonly<Record<string, unknown>> | null;
  readonly includeInvalid?: boolean | null;
  readonly orderBy?: readonly { readonly field: string; readonly direction?: 'ASC' | 'DESC' | null }[] | null;
  readonly limit?: number | null;
  readonly offset?: number | null;
}

export interface SearchSettings {
  readonly fields: readonly FieldDef[];
  readonly defaultLimit: number;
  readonly maxLimit: number;
  /** Filters the arguments carry beyond the Map fields (e.g. customerIds). */
  readonly extraFilters?: readonly AttributeFilter[];
  /**
   * The Map attributes each non-Map field of a node reads (beyond the key, always read). A page
   * whose nodes select only Map fields and these reads only their columns; any other field
   * (createdAt, history, …) has the whole record read.
   */
  readonly nodeFieldNeeds?: Readonly<Record<string, readonly string[]>>;
}

/** Runs a search for GraphQL arguments: validated, counted against the request's budget, wrapped as a page. */
export async function searchPage(
  search: (query: RecordQuery) => Promise<RecordPage>,
  args: SearchArgs,
  settings: SearchSettings,
  context: GraphQLContext,
  info: GraphQLResolveInfo,
): Promise<RecordList> {
  const signal = context.clientSignal?.();
  const query = { ...toRecordQuery(args, settings, context.services.config.limits, info), signal };
  context.searchBudget.spend();
  const page = await context.services.searchGates.run(query.limit, () => search(query), signal);
  return { page, limit: query.limit, offset: query.offset };
}

/** Validates search arguments and turns them into a backend query. */
function toRecordQuery(args: SearchArgs, settings: SearchSettings, limits: AppConfig['limits'], info: GraphQLResolveInfo): RecordQuery {
  const limit = args.limit ?? settings.defaultLimit;
  const offset = args.offset ?? 0;
  if (limit < 0 || limit > settings.maxLimit) {
    throw badInput(`limit must be between 0 and ${settings.maxLimit}`, { field: 'limit' });
  }
  if (offset < 0) throw badInput('offset must not be negative', { field: 'offset' });
  checkPatternLengths(args, limits.maxPatternLength);
  const { filters, validIds } = filtersFromInput(settings.fields, args.filter ?? {});
  const email = args.email?.trim();
  if (email === '') throw badInput('email must not be empty', { field: 'email' });
  return {
    text: args.search ? boundedSearch(args.search, limits) : undefined,
    email: email ? normaliseIdentifier(email) : undefined,
    filters: [...filters, ...(settings.extraFilters ?? [])],
    validIds: validIds ?? (args.includeInvalid ? null : [VALID_ID]),
    orderBy: orderTerms(args.orderBy ?? []),
    limit,
    offset,
    withTotal: selectsField(info, 'totalCount'),
    attributes: attributesRead(info, settings),
  };
}

/** What the page's nodes read (RecordQuery.attributes): undefined for everything. */
function attributesRead(info: GraphQLResolveInfo, settings: SearchSettings): string[] | undefined {
  const attributes: string[] = [];
  for (const name of fieldsSelectedUnder(info, 'nodes') ?? []) {
    if (name === '__typename') continue;
    const field = settings.fields.find((f) => f.graphqlName === name);
    const needs = field ? [field.attribute] : settings.nodeFieldNeeds?.[name];
    if (!needs) return undefined;
    attributes.push(...needs);
  }
  return [...new Set(attributes)];
}

/** The free text parsed, within limits.maxSearchLength/maxSearchTerms/maxSearchAlternatives/maxPatternLength. */
function boundedSearch(search: string, limits: AppConfig['limits']): SearchExpression {
  if (search.length > limits.maxSearchLength) {
    throw badInput(`search must not be longer than ${limits.maxSearchLength} characters`, {
      field: 'search',
      reason: 'SEARCH_TOO_LONG',
    });
  }
  const expression = parseSearch(search);
  // Only operators, quotes or a bare `!`: without this, such a search would list everybody.
  if (expression.length === 0 && search.trim() !== '') {
    throw badInput('search holds no term to search for (only operators or quotes); leave it empty to list everybody', {
      field: 'search',
      reason: 'NO_SEARCH_TERM',
    });
  }
  const problem = searchLimitProblem(expression, {
    maxTerms: limits.maxSearchTerms,
    maxAlternatives: limits.maxSearchAlternatives,
    maxTermLength: limits.maxPatternLength,
  });
  if (problem) throw badInput(problem.message, { field: 'search', reason: problem.reason });
  return expression;
}

/**
 * A long LIKE pattern is expensive to match and to index-scan (a 40,001-character filter.lastName
 * took 25 s), while no stored value is that long: filter values and the email are bounded.
 */
function checkPatternLengths(args: SearchArgs, max: number): void {
  const values = Object.entries(args.filter ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (args.email) values.push(['email', args.email]);
  for (const [field, value] of values) {
    const length = [...value].length;
    if (length > max) {
      const name = field === 'email' ? 'email' : `filter.${field}`;
      throw badInput(`${name} is ${length} characters long; at most ${max} are allowed`, { field: name, reason: 'PATTERN_TOO_LONG' });
    }
  }
}

function orderTerms(orderBy: NonNullable<SearchArgs['orderBy']>): OrderTerm[] {
  const seen = new Set<string>();
  return orderBy.map(({ field, direction }) => {
    if (seen.has(field)) throw badInput('orderBy names a field twice', { field: 'orderBy' });
    seen.add(field);
    return { attribute: field, descending: direction === 'DESC' };
  });
}
