import { NoSuchObjectError, type Client, type Entry } from 'ldapts';
import { attributeValues } from './entry-record';

export interface GroupSettings {
  readonly groupDn: string;
  /** The group's member attribute (`memberUid`, `member`, `uniqueMember` …). */
  readonly accessAttr: string;
  /** What the member values hold: logins (`UID`) or user DNs (`DN`). */
  readonly userAttr: 'UID' | 'DN';
}

/**
 * OTOBO's GroupDN: only members of one group entry are users of the backend. The member list is
 * read per call (one base-scope search), so membership changes apply at once; a missing group
 * has no members.
 */
export async function groupMembership(client: Client, settings: GroupSettings): Promise<(entry: Entry, login: string) => boolean> {
  const { searchEntries } = await client
    .search(settings.groupDn, { scope: 'base', attributes: [settings.accessAttr] })
    .catch((error: unknown) => {
      if (error instanceof NoSuchObjectError) return { searchEntries: [] as Entry[] };
      throw error;
    });
  const normalise = settings.userAttr === 'DN' ? normaliseDn : (login: string) => login.toLowerCase();
  const members = new Set(searchEntries.flatMap((group) => attributeValues(group, settings.accessAttr)).map(normalise));
  return settings.userAttr === 'DN'
    ? (entry) => members.has(normaliseDn(entry.dn))
    : (_entry, login) => members.has(login.toLowerCase());
}

/** DNs compare case-insensitively and without the optional spaces around `,` and `=`. */
function normaliseDn(dn: string): string {
  return dn.replace(/\s*([,=])\s*/g, '$1').toLowerCase();
}
