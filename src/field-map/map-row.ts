import { z } from 'zod';
import type { ConfigIssue } from '../config/issues';
import { isGraphqlName } from './graphql-name';

/**
 * One row of an OTOBO Map, normalised. OTOBO writes rows as 10-position tuples
 * `[attribute, label, storage, show, required, type, link, readonly, linkTarget, linkClass]`;
 * we also accept named objects, which may carry an explicit `graphqlName`.
 */
export interface MapRow {
  readonly attribute: string;
  readonly label: string | null;
  readonly storage: string;
  readonly show: 0 | 1 | 2;
  readonly required: boolean;
  readonly type: 'var' | 'int';
  readonly link: string | null;
  readonly readonly: boolean;
  readonly linkTarget: string | null;
  readonly linkClass: string | null;
  readonly graphqlName: string | null;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const attribute = z.string({ error: 'attribute must be a string' }).regex(IDENTIFIER, {
  error: 'attribute must be an identifier (letters, digits, underscore)',
});
const label = z.string({ error: 'label must be a string or null' }).nullable();
const storage = z
  .string({ error: 'storage must be a column name' })
  .regex(IDENTIFIER, { error: 'storage must be a column name (letters, digits, underscore)' });
const show = z.union([z.literal(0), z.literal(1), z.literal(2), z.boolean()], {
  error: 'show must be 0, 1 or 2',
});
const flag = (name: string) =>
  z.union([z.literal(0), z.literal(1), z.boolean()], { error: `${name} must be 0 or 1` });
const type = z.enum(['var', 'int'], { error: 'type must be "var" or "int"' });
const optionalText = (name: string) => z.string({ error: `${name} must be a string or null` }).nullable();

const tupleRow = z
  .tuple(
    [attribute, label, storage, show, flag('required'), type],
    z.unknown(), // positions 6–9 are checked one by one below, with their own messages
  )
  .superRefine((row, ctx) => {
    if (row.length > 10) ctx.addIssue({ code: 'custom', message: 'a Map row has at most 10 positions' });
    const checks: [number, z.ZodType][] = [
      [6, optionalText('link')],
      [7, flag('readonly')],
      [8, optionalText('linkTarget')],
      [9, optionalText('linkClass')],
    ];
    for (const [index, schema] of checks) {
      if (index >= row.length) continue;
      const result = schema.safeParse(row[index]);
      if (!result.success) {
        ctx.addIssue({ code: 'custom', path: [index], message: result.error.issues[0]?.message ?? 'invalid' });
      }
    }
  });

const objectRow = z.strictObject({
  attribute,
  label: label.optional(),
  storage,
  show: show.optional(),
  required: flag('required').optional(),
  type: type.optional(),
  link: optionalText('link').optional(),
  readonly: flag('readonly').optional(),
  linkTarget: optionalText('linkTarget').optional(),
  linkClass: optionalText('linkClass').optional(),
  graphqlName: z.string().refine(isGraphqlName, { error: 'graphqlName must be a valid GraphQL name' }).optional(),
});

const asShow = (v: 0 | 1 | 2 | boolean): 0 | 1 | 2 => (v === true ? 1 : v === false ? 0 : v);
const asFlag = (v: unknown): boolean => v === true || v === 1;
const asText = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Parses one row in either form; issues carry paths relative to the row. */
export function parseMapRow(raw: unknown): { row?: MapRow; issues: ConfigIssue[] } {
  if (Array.isArray(raw)) {
    const parsed = tupleRow.safeParse(raw);
    if (!parsed.success) return { issues: parsed.error.issues.map(toIssue) };
    const t = parsed.data;
    return {
      issues: [],
      row: {
        attribute: t[0],
        label: t[1],
        storage: t[2],
        show: asShow(t[3]),
        required: asFlag(t[4]),
        type: t[5],
        link: asText(t[6]),
        readonly: asFlag(t[7]),
        linkTarget: asText(t[8]),
        linkClass: asText(t[9]),
        graphqlName: null,
      },
    };
  }
  if (typeof raw === 'object' && raw !== null) {
    const parsed = objectRow.safeParse(raw);
    if (!parsed.success) return { issues: parsed.error.issues.map(toIssue) };
    const o = parsed.data;
    return {
      issues: [],
      row: {
        attribute: o.attribute,
        label: o.label ?? null,
        storage: o.storage,
        show: asShow(o.show ?? 1),
        required: asFlag(o.required),
        type: o.type ?? 'var',
        link: o.link ?? null,
        readonly: asFlag(o.readonly),
        linkTarget: o.linkTarget ?? null,
        linkClass: o.linkClass ?? null,
        graphqlName: o.graphqlName ?? null,
      },
    };
  }
  return { issues: [{ path: [], message: 'a Map row must be a 10-position array or an object' }] };
}

function toIssue(issue: z.core.$ZodIssue): ConfigIssue {
  return { path: issue.path, message: issue.message };
}
