import type { Agent } from '../../agents/agent-directory';
import type { HistoryEntry } from '../../changes/history';
import type { FieldDef } from '../../field-map/field-def';
import type { SelectionOption } from '../../field-map/selections';
import type { Builder } from '../builder';

export type CommonTypes = ReturnType<typeof registerCommonTypes>;

/** Types shared by customers and customer users. */
export function registerCommonTypes(builder: Builder) {
  builder.scalarType('DateTime', {
    description: 'An instant in time, ISO-8601 in UTC (e.g. 2026-11-29T23:05:00Z).',
    serialize: (value) => value,
    parseValue: (value) => {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new TypeError('DateTime must be an ISO-8601 string');
      return value;
    },
  });

  const Validity = builder.enumType('Validity', {
    description: 'OTOBO validity. Nothing is ever deleted: records are made invalid instead.',
    values: {
      VALID: { value: 'VALID', description: 'Active (valid_id 1).' },
      INVALID: { value: 'INVALID', description: 'Deactivated (valid_id 2): hidden from default searches, cannot log in.' },
      INVALID_TEMPORARILY: { value: 'INVALID_TEMPORARILY', description: 'Deactivated for now (valid_id 3); behaves like INVALID.' },
    } as const,
  });

  const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

  const MapFieldType = builder.enumType('MapFieldType', {
    values: { VAR: { value: 'var' }, INT: { value: 'int' } } as const,
  });

  const MapFieldOption = builder.objectRef<SelectionOption>('MapFieldOption').implement({
    description: 'One allowed value of a selection field (OTOBO\'s Selections) and its label.',
    fields: (t) => ({ value: t.exposeString('value'), label: t.exposeString('label') }),
  });

  const MapField = builder.objectRef<{ field: FieldDef; searchable: boolean }>('MapField').implement({
    description: 'One row of a configured Map: what a generated GraphQL field stands for (for building forms).',
    fields: (t) => ({
      name: t.string({ description: 'The GraphQL field name.', resolve: ({ field }) => field.graphqlName }),
      attribute: t.string({ description: "OTOBO's attribute name (Map position 0).", resolve: ({ field }) => field.attribute }),
      label: t.string({ nullable: true, resolve: ({ field }) => field.label }),
      type: t.field({ type: MapFieldType, resolve: ({ field }) => field.type }),
      required: t.boolean({ resolve: ({ field }) => field.required }),
      readonly: t.boolean({ description: 'Set on create only; not part of the update input.', resolve: ({ field }) => field.readonly }),
      writeOnly: t.boolean({ description: 'Never readable (the password).', resolve: ({ field }) => field.role === 'password' }),
      show: t.int({ description: '0 hidden, 1 shown, 2 also in compact views (Map position 3).', resolve: ({ field }) => field.show }),
      searchable: t.boolean({ description: 'Matched by the free-text search.', resolve: ({ searchable }) => searchable }),
      link: t.string({ nullable: true, resolve: ({ field }) => field.link || null }),
      linkTarget: t.string({ nullable: true, resolve: ({ field }) => field.linkTarget }),
      linkClass: t.string({ nullable: true, resolve: ({ field }) => field.linkClass }),
      options: t.field({
        type: [MapFieldOption],
        nullable: true,
        description: 'The allowed values when the field is a selection (CustomerUser.Selections), for a select box; null for free input.',
        resolve: ({ field }) => field.options ?? null,
      }),
    }),
  });

  const Agent = builder.objectRef<Agent>('Agent').implement({
    description: 'An OTOBO agent (users table): the author recorded in create_by/change_by.',
    fields: (t) => ({
      id: t.exposeInt('id'),
      login: t.exposeString('login'),
      fullName: t.string({ resolve: (a) => [a.firstName, a.lastName].filter(Boolean).join(' ') }),
    }),
  });

  const FieldChange = builder.objectRef<{ field: string; old: unknown; new: unknown }>('FieldChange').implement({
    fields: (t) => ({
      field: t.exposeString('field', { description: 'The GraphQL field name.' }),
      oldValue: t.string({ nullable: true, resolve: (c) => asText(c.old) }),
      newValue: t.string({ nullable: true, resolve: (c) => asText(c.new) }),
    }),
  });

  const ChangeAction = builder.enumType('ChangeAction', { values: { CREATE: { value: 'create' }, UPDATE: { value: 'update' } } as const });

  const HistoryEntryRef = builder.objectRef<HistoryEntry>('HistoryEntry').implement({
    description: 'One recorded change: who, when, and which fields went from what to what. Passwords show only that they changed.',
    fields: (t) => ({
      id: t.id({ resolve: (e) => String(e.id) }),
      occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
      action: t.field({ type: ChangeAction, resolve: (e) => e.action }),
      actor: t.exposeString('actor', { description: 'The credential that made the change, e.g. token:bootstrap-admin.' }),
      agent: t.field({ type: Agent, nullable: true, resolve: (e, _args, ctx) => ctx.loaders.agent.load(e.agentId) }),
      changes: t.field({ type: [FieldChange], resolve: (e) => [...e.changes] }),
    }),
  });

  return { Validity, SortDirection, MapField, Agent, HistoryEntry: HistoryEntryRef };
}

function asText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
