import type { ArgBuilder, InputFieldMap } from '@pothos/core';
import type { FieldDef } from '../../field-map/field-def';
import type { Builder, Types } from '../builder';
import { mapFilterFields, orderFieldValues } from '../map-fields';
import type { CommonTypes } from './common';

export type SearchInputs = ReturnType<typeof registerSearchInputs>;

/**
 * `<Entity>Filter` (a field per Map row, plus `extra` fields) and `<Entity>Order` inputs.
 */
export function registerSearchInputs(
  builder: Builder,
  entity: string,
  fields: readonly FieldDef[],
  common: CommonTypes,
  extra: (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => InputFieldMap = () => ({}),
) {
  const orderField = builder.enumType(`${entity}OrderField`, { values: orderFieldValues(fields) });
  const order = builder.inputRef<{ field: string; direction?: 'ASC' | 'DESC' | null }>(`${entity}Order`).implement({
    fields: (t) => ({
      field: t.field({ type: orderField, required: true }),
      direction: t.field({ type: common.SortDirection, defaultValue: 'ASC' }),
    }),
  });
  const filter = builder.inputType(`${entity}Filter`, {
    description: 'Structured search: every given field must match (AND).',
    fields: (t) => ({ ...mapFilterFields(t, fields, common), ...extra(t) }),
  });
  return { filter, order };
}

/** The arguments every search field takes. */
export function searchArgs(arg: ArgBuilder<Types>, inputs: SearchInputs, options: { email: boolean; defaultLimit: number }) {
  return {
    search: arg.string({
      description:
        "Free text in OTOBO's grammar: * wildcard, + or ' AND ' for and, ' OR ' for or, ! to negate, \"quotes\" for literal text; % and _ are literal.",
    }),
    ...(options.email ? { email: arg.string({ description: 'Exact email address, case-insensitive.' }) } : {}),
    filter: arg({ type: inputs.filter }),
    includeInvalid: arg.boolean({ defaultValue: false, description: 'Also return invalid records.' }),
    orderBy: arg({ type: [inputs.order], description: 'Sort keys in order; the record key is always the final tie-breaker.' }),
    // A declared default lets the query-cost estimate read every page size from the schema alone.
    limit: arg.int({ defaultValue: options.defaultLimit, description: "Page size; defaults to the backend's search list limit." }),
    offset: arg.int({ defaultValue: 0 }),
  };
}
