import type { FieldChange } from '../changes/change-writer';
import { badInput } from '../errors';
import { validityName } from './validity';

/** Groups and services: a name, a comment and a validity (OTOBO's groups_table and service). */
export interface CatalogEntry {
  readonly name: string;
  readonly comment: string | null;
  readonly validId: number;
}

export interface CatalogInput {
  readonly name?: string;
  readonly comment?: string | null;
  readonly validId?: number;
}

const MAX_NAME = 191;
const MAX_COMMENT = 250;

/** Trims the name (required when given), blanks an empty comment, checks the column widths. */
export function checkCatalogInput(input: CatalogInput): CatalogInput {
  const name = input.name?.trim();
  if (input.name !== undefined && !name) throw badInput('A name is required', { field: 'name' });
  if (name !== undefined && name.length > MAX_NAME) throw badInput(`The name may have at most ${MAX_NAME} characters`, { field: 'name' });
  if (input.comment && input.comment.length > MAX_COMMENT) {
    throw badInput(`The comment may have at most ${MAX_COMMENT} characters`, { field: 'comment' });
  }
  return { name, comment: input.comment === undefined ? undefined : input.comment || null, validId: input.validId };
}

/** The audited fields of an entry, old → new (validity by its enum name). */
export function catalogDiff(before: CatalogEntry | null, after: CatalogEntry): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  const pairs = [
    ['name', before?.name ?? null, after.name],
    ['comment', before?.comment ?? null, after.comment],
    ['validity', before ? validityName(before.validId) : null, validityName(after.validId)],
  ] as const;
  for (const [field, old, next] of pairs) if (old !== next) changes[field] = { old, new: next };
  return changes;
}
