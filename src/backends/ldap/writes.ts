import { Attribute, Change, DN, InsufficientAccessError, ResultCodeError, type Client } from 'ldapts';
import { DomainError } from '../../errors';
import type { FieldDef } from '../../field-map/field-def';
import type { FieldValue } from '../../records/types';

/** An unescaped comma ends a DN's first RDN. */
const RDN_END = /(?<!\\),/;

/**
 * Writes the given Map attributes of one entry. Each attribute is replaced as a whole (a
 * multi-valued one keeps only the new value; an empty value removes it); several rows sharing an
 * attribute are written once, from the first row given. When the entry's RDN attribute changes
 * (a login rename under `uid=…`), the entry is renamed first, which also sets that attribute.
 */
export async function modifyEntry(
  client: Client,
  dn: string,
  fields: readonly FieldDef[],
  values: Readonly<Record<string, FieldValue>>,
  backendId: string,
): Promise<void> {
  const byAttribute = new Map<string, FieldValue>();
  for (const field of fields) {
    const key = field.storage.toLowerCase();
    if (!byAttribute.has(key)) byAttribute.set(key, values[field.attribute] ?? null);
  }
  const [rdn = '', ...rest] = dn.split(RDN_END);
  const rdnAttribute = rdn.slice(0, rdn.indexOf('=')).trim().toLowerCase();
  const newRdnValue = byAttribute.get(rdnAttribute);
  let target = dn;
  try {
    if (typeof newRdnValue === 'string' && newRdnValue !== '' && `${rdnAttribute}=${newRdnValue}`.toLowerCase() !== rdn.toLowerCase()) {
      target = [new DN({ [rdnAttribute]: newRdnValue }).toString(), ...rest].join(',');
      await client.modifyDN(dn, target);
      byAttribute.delete(rdnAttribute);
    }
    const changes = [...byAttribute].map(
      ([type, value]) =>
        new Change({ operation: 'replace', modification: new Attribute({ type, values: value === null || value === '' ? [] : [String(value)] }) }),
    );
    if (changes.length > 0) await client.modify(target, changes);
  } catch (error) {
    throw refusedWrite(error, backendId);
  }
}

/** The directory's "no" to a write, with its reason; anything else (an outage) is passed on. */
function refusedWrite(error: unknown, backendId: string): unknown {
  if (error instanceof InsufficientAccessError) {
    return new DomainError('READ_ONLY_BACKEND', `Customer-user backend "${backendId}": the bind account may not write this entry`, {
      backend: backendId,
      reason: 'DIRECTORY_REFUSED',
    });
  }
  if (error instanceof ResultCodeError) {
    return new DomainError('BAD_USER_INPUT', `Customer-user backend "${backendId}" refused the change: ${error.message}`, {
      backend: backendId,
      reason: 'DIRECTORY_REFUSED',
    });
  }
  return error;
}
