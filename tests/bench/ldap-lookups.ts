/**
 * `npm run bench:ldap`: how fast are lookups of directory users, cached and not? Starts a private
 * slapd (tests/support/slapd.ts) with 2,000 bulk users and the server as a child process (PGlite
 * in a temp folder) twice, side by side: the directory as CustomerUser with CacheTTL 300 and with
 * CacheTTL 0. Each asks `customerUser(login)` for 500 different logins in sequence, once to fill
 * the cache and then again, and `{ __typename }` as the floor of a request. Target: cached lookups p50 ≤ 1 ms. A benchmark, not a test: it prints
 * figures and exits 1 if the target is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerHelp } from '../../src/cli/help';
import { ldapSettings, TEST_ENV } from '../support/ldap-directory';
import { BULK_DN, bulkUid } from '../support/ldap-seed';
import { startSlapd } from '../support/slapd';
import { sampleLatencies, startChildServer, summarise, type ChildServer } from './child-server';

answerHelp(`
npm run bench:ldap   (takes no arguments; needs slapd: apt-get install slapd ldap-utils)

How fast are lookups of LDAP directory users? Starts a private slapd with 2,000 users and the server twice (PGlite
in temp folders), with the directory as CustomerUser, CacheTTL 300 and CacheTTL 0, and prints the p50/p99 of
customerUser(login) for 500 logins: the first (cache-filling) pass and the cached one. Exits 1 if the cached p50
is above 1 ms.
`);

const USERS = 2000;
const LOGINS = 500;
const TARGET_P50_MS = 1;
const LOOKUP = 'query L($login: String!) { customerUser(login: $login) { login source firstName lastName email room } }';

async function main(): Promise<void> {
  const slapd = await startSlapd({ bulkUsers: USERS });
  const folder = mkdtempSync(join(tmpdir(), 'cug-bench-ldap-'));
  const servers: ChildServer[] = [];
  try {
    const start = async (cacheTtl: number) => {
      const directory = ldapSettings(slapd, { CacheTTL: cacheTtl, Params: { BaseDN: BULK_DN, TimeoutMs: 10000 } });
      const server = await startChildServer(join(folder, `pglite-${cacheTtl}`), { ...TEST_ENV, CONFIG__CustomerUser: JSON.stringify(directory) });
      servers.push(server);
      return server;
    };
    const [cached, uncached] = [await start(300), await start(0)];
    const login = (i: number) => ({ login: bulkUid((i * 7) % USERS) });
    const pass = (server: ChildServer) => sampleLatencies((i) => server.graphql(LOOKUP, login(i % LOGINS)), LOGINS).then(summarise);
    const check = (await cached.graphql(LOOKUP, login(1))) as { customerUser: { source: string } | null };
    if (check.customerUser?.source !== 'CustomerUser') throw new Error(`the directory did not answer the lookup: ${JSON.stringify(check)}`);

    // Interleaved, so both servers see the same machine load.
    const coldCached = await pass(cached);
    const coldUncached = await pass(uncached);
    const warmCached = await pass(cached);
    const warmUncached = await pass(uncached);
    // The floor: the same HTTP round trip and auth with nothing to look up.
    const floor = summarise(await sampleLatencies(() => cached.graphql('{ __typename }'), LOGINS));
    const show = (name: string, s: { p50: number; p99: number }) => console.log(`${name.padEnd(36)} p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`);
    console.log(`slapd with ${USERS} users; ${LOGINS} different logins per pass, one request at a time`);
    show('CacheTTL 300, first pass (misses)', coldCached);
    show('CacheTTL 300, second pass (cached)', warmCached);
    show('CacheTTL 0, first pass', coldUncached);
    show('CacheTTL 0, second pass', warmUncached);
    show('{ __typename } (the request floor)', floor);
    console.log(`cached p50 ${warmCached.p50.toFixed(2)} ms (target ≤ ${TARGET_P50_MS} ms): ${warmCached.p50 <= TARGET_P50_MS ? 'met' : 'MISSED'}; ` +
      `uncached/cached p50 ${(warmUncached.p50 / warmCached.p50).toFixed(1)}×`);
    process.exitCode = warmCached.p50 <= TARGET_P50_MS ? 0 : 1;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await slapd.dispose();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
