/**
 * `npm run bench:ldap-search`: what does the first page of an LDAP search with 10,000 matches
 * cost? Starts a private slapd (tests/support/slapd.ts) with 10,000 bulk users and times, on one
 * directory backend, a search for a term all of them match (`bulk`) for the first 50 (login order, valid users, with totalCount)
 * and, for comparison, the way searches used to work: every match read in full (all Map
 * attributes), turned into records, ordered, cut. A benchmark, not a test: it prints figures.
 */
import { Client, type Entry } from 'ldapts';
import { answerHelp } from '../../src/cli/help';
import { entryToRecord, firstValue } from '../../src/backends/ldap/entry-record';
import { recordComparator } from '../../src/records/record-order';
import { openTestDirectory, recordQuery } from '../support/ldap-directory';
import { BULK_DN, READER } from '../support/ldap-seed';
import { startSlapd } from '../support/slapd';

answerHelp(`
npm run bench:ldap-search   (takes no arguments; needs slapd: apt-get install slapd ldap-utils)

The cost of the first page of an LDAP search with 10,000 matches: starts a private slapd with 10,000 users and
prints the median and the fastest of a search for a term all of them match (first 50 in login order, with totalCount) over several runs, beside
reading every match in full before ordering (how searches used to work).
`);

const USERS = 10000;
const RUNS = 9;
const PAGE = 50;
/** Matches every bulk user through the free-text filter over uid, cn and mail (prefix '', suffix '*'). */
const TERM = 'bulk';

async function time(runs: number, run: () => Promise<unknown>): Promise<{ median: number; min: number }> {
  await run(); // warm-up: connections open, slapd's caches filled
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]! };
}

async function main(): Promise<void> {
  const slapd = await startSlapd({ bulkUsers: USERS });
  const directory = openTestDirectory(slapd, { Params: { BaseDN: BULK_DN, TimeoutMs: 30000 } });
  const client = new Client({ url: slapd.url, timeout: 30000 });
  try {
    const query = recordQuery({ search: TERM, limit: PAGE, withTotal: true, validIds: [1], orderBy: [{ attribute: 'UserLogin', descending: false }] });
    const first = await directory.search(query);
    if (first.totalCount !== USERS || first.records.length !== PAGE) throw new Error(`unexpected answer: ${first.totalCount} matches, ${first.records.length} on the page`);

    // How searches used to read: every match with every Map attribute, then order and cut here.
    await client.bind(READER.dn, READER.password);
    const fields = directory.fields;
    const attributes = ['uid', ...fields.filter((f) => f.role !== 'password' && f.role !== 'validity').map((f) => f.storage)];
    const compare = recordComparator(query.orderBy, fields, 'UserLogin');
    const readEverything = async () => {
      const { searchEntries } = await client.search(BULK_DN, {
        scope: 'one', filter: `(&(|(uid=${TERM}*)(cn=${TERM}*)(mail=${TERM}*))(!(description=gesperrt))(objectClass=inetOrgPerson))`, attributes: [...new Set(attributes)], paged: { pageSize: 500 },
      });
      const records = searchEntries.filter((e: Entry) => firstValue(e, 'uid') !== null).map((e) => entryToRecord(e, fields, 'CustomerUser1', 1)).sort(compare);
      return records.slice(0, PAGE);
    };

    const searched = await time(RUNS, () => directory.search(query));
    const everything = await time(RUNS, readEverything);
    const show = (name: string, t: { median: number; min: number }) =>
      console.log(`${name.padEnd(58)} median ${t.median.toFixed(0)} ms, fastest ${t.min.toFixed(0)} ms`);
    console.log(`slapd with ${USERS} users, all matching '${TERM}'; first page of ${PAGE} in login order with totalCount; ${RUNS} runs after a warm-up`);
    show(`directory.search('${TERM}') (the backend as it is)`, searched);
    show('every match read in full, ordered, cut (searches before)', everything);
  } finally {
    await client.unbind().catch(() => undefined);
    await directory.close();
    await slapd.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
