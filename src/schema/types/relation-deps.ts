import type { ImplementableObjectRef } from '@pothos/core';
import type { CatalogInput } from '../../records/catalog-entry';
import type { StoredRecord } from '../../records/types';
import { VALIDITY_IDS, type Validity } from '../../records/validity';
import type { Types } from '../builder';
import type { CommonTypes } from './common';

/** What the relation types need from the rest of the schema. */
export interface RelationTypeDeps {
  readonly common: CommonTypes;
  readonly CustomerUser: ImplementableObjectRef<Types, StoredRecord>;
  readonly Customer: ImplementableObjectRef<Types, StoredRecord>;
}

/** A group's or service's input as GraphQL gives it → the catalog input (validity as its id). */
export function catalogInput(input: { name?: string | null; comment?: string | null; validity?: Validity | null }): CatalogInput {
  return {
    name: input.name ?? undefined,
    comment: input.comment,
    validId: input.validity ? VALIDITY_IDS[input.validity] : undefined,
  };
}
