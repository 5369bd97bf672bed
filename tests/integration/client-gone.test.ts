import { request as httpRequest } from 'node:http';
import pino from 'pino';
import postgres from 'postgres';
import { startTestApp, type TestApp } from '../support/test-app';
import { onPostgres } from '../support/test-database';

/**
 * A client that goes away cancels its search's statement (src/db/cancellable.ts). PostgreSQL only:
 * PGlite has one embedded session and no cancel, so nothing changes there.
 */
const describeOnPostgres = onPostgres ? describe : describe.skip;
if (!onPostgres) process.stderr.write('NOTICE: client-gone tests skipped: PGlite has no cancel request (set TEST_DATABASE_URL)\n'); // Jest hides console output of fully skipped suites

const USERS = 40_000;

/** A POST of `query` that the client abandons after `abortAfterMs` (the socket destroyed), or answers. */
function post(url: string, query: string, abortAfterMs?: number, extraHeaders: Record<string, string> = {}): Promise<{ aborted: true } | { aborted: false; body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer test-admin-token-0123456789abcdef', ...extraHeaders },
    });
    let timer: NodeJS.Timeout | undefined;
    if (abortAfterMs !== undefined) {
      timer = setTimeout(() => {
        req.destroy();
        resolve({ aborted: true });
      }, abortAfterMs);
    }
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ aborted: false, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      });
    });
    req.on('error', (error) => (abortAfterMs === undefined ? reject(error) : undefined));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnPostgres('a client that goes away', () => {
  let app: TestApp;
  let url: string;
  let watcher: postgres.Sql;
  const logLines: { level: number; msg: string }[] = [];

  /** The app's statements PostgreSQL is running now (the test's own sessions excluded). */
  const activeSearches = async () =>
    watcher<{ pid: number; query: string }[]>`
      SELECT pid, query FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'otobo-customer-graphql'
        AND state = 'active' AND query ILIKE '%customer_user%'`;

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    app = await startTestApp({ logger });
    url = await app.graphqlUrl;
    await app.testDatabase.runScript(`
      INSERT INTO customer_company (customer_id, name, valid_id, create_time, create_by, change_time, change_by)
        SELECT 'C' || i, 'Company ' || i, 1, now(), 1, now(), 1 FROM generate_series(0, 99) AS i;
      INSERT INTO customer_user (login, email, customer_id, first_name, last_name, valid_id, create_time, create_by, change_time, change_by)
        SELECT 'user' || i, 'user' || i || '@acme.test', 'C' || (i % 100), initcap(substr(md5('f' || i), 1, 6)), initcap(substr(md5(i::text), 1, 8)),
               1, now(), 1, now(), 1
        FROM generate_series(1, ${USERS}) AS i;
      ANALYZE customer_user;`);
    watcher = postgres(app.testDatabase.url!, { max: 1, onnotice: () => undefined });
  });
  afterAll(async () => {
    await watcher?.end();
    await app?.close();
  });

  // A request with an Origin is answered by yoga itself (its request.signal), the others by the fast path.
  const SEARCH = `{ customerUsers(search: "user1*", limit: 5) { nodes { login } } }`;
  it.each([
    ['the fast path', {}, SEARCH],
    ['yoga', { origin: 'http://elsewhere.test' }, SEARCH],
  ])('cancels its running search (%s): the statement is gone from pg_stat_activity within a second', async (_path, headers: Record<string, string>, query: string) => {
    // Another session holds the table: the search's statement runs (waits) until cancelled.
    const holder = postgres(app.testDatabase.url!, { max: 1, onnotice: () => undefined });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.begin(async (tx) => {
      await tx`LOCK TABLE customer_user IN ACCESS EXCLUSIVE MODE`;
      locked();
      await held;
    });
    try {
      await isLocked;
      const abandoned = post(url, query, 300, headers);
      await sleep(150);
      expect(await activeSearches()).toHaveLength(1); // it runs
      await abandoned;
      const aborted = Date.now();
      let remaining = await activeSearches();
      while (remaining.length > 0 && Date.now() - aborted < 3000) {
        await sleep(25);
        remaining = await activeSearches();
      }
      expect(remaining).toEqual([]);
      expect(Date.now() - aborted).toBeLessThan(1000);
    } finally {
      release();
      await holding;
      await holder.end();
    }
    // The connection went back to the pool in order: the next searches answer.
    const { customerUsers } = await app.ok<{ customerUsers: { nodes: { login: string }[] } }, never>(`{ customerUsers(filter: { login: "user1" }) { nodes { login } } }`);
    expect(customerUsers.nodes).toEqual([{ login: 'user1' }]);
    await sleep(100); // the resolver's CLIENT_GONE has been handled by now
    expect(logLines.filter((line) => line.level >= 40)).toEqual([]); // nothing logged as a warning or error
  });

  it('under load: half the searches abandoned at random moments, the other half all answer exactly, and the pool stays healthy', async () => {
    // One-letter terms scan the table (tens to hundreds of milliseconds each); several shapes, so answers differ.
    const searches = ['a+e', 'b+c', 'd+f', 'a+1', 'e+2', 'c+3', 'f+4', '5+b'].map(
      (terms) => `{ customerUsers(search: "${terms}", limit: 20) { totalCount nodes { login lastName } } }`,
    );
    const expected = await Promise.all(searches.map(async (query) => (await post(url, query)) as { aborted: false; body: unknown }));
    for (const answer of expected) expect(answer.body).not.toHaveProperty('errors');

    const rounds = 3;
    for (let round = 0; round < rounds; round += 1) {
      const requests = Array.from({ length: 24 }, (_, i) => {
        const query = searches[i % searches.length]!;
        return i % 2 === 0 ? post(url, query, 20 + Math.floor(Math.random() * 400)) : post(url, query);
      });
      const answers = await Promise.all(requests);
      answers.forEach((answer, i) => {
        if (i % 2 === 0) return;
        expect(answer).toEqual(expected[i % searches.length]); // never an innocent CLIENT_GONE or TIMEOUT
      });
    }

    // Short searches abandoned within milliseconds: cancels racing the statements' own end, where a
    // cancel delivered after the connection went back to the pool would hit the next search on it.
    const quick = ['a', 'b', 'c', 'd'].map((letter) => `{ customerUsers(search: "${letter}+e", limit: 5) { nodes { login } } }`);
    const quickExpected = await Promise.all(quick.map((query) => post(url, query)));
    for (let round = 0; round < 10; round += 1) {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? post(url, quick[i % quick.length]!, Math.floor(Math.random() * 30)) : post(url, quick[i % quick.length]!))),
      );
      answers.forEach((answer, i) => {
        if (i % 2 === 1) expect(answer).toEqual(quickExpected[i % quick.length]);
      });
    }

    // Every abandoned statement ends; no connection is left running one.
    const started = Date.now();
    while ((await activeSearches()).length > 0 && Date.now() - started < 3000) await sleep(25);
    expect(await activeSearches()).toEqual([]);
    // The pool serves everyone again: lookups, writes and searches on all its connections.
    const again = await Promise.all(searches.map((query) => post(url, query)));
    expect(again).toEqual(expected);
    await app.ok(`mutation { createCustomer(input: { customerId: "after", name: "After" }) { customerId } }`);
    expect(await app.ok(`{ customer(customerId: "after") { name } }`)).toEqual({ customer: { name: 'After' } });
    expect(logLines.filter((line) => line.level >= 40)).toEqual([]);
  }, 60_000);
});

/** What src/db/cancellable.ts relies on from patches/postgres+3.4.9.patch. */
describeOnPostgres('the patched postgres.js: cancel and release of a reserved connection', () => {
  let sql: postgres.Sql;
  beforeAll(() => {
    sql = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => undefined });
  });
  afterAll(() => sql.end());

  it('cancel() returns a promise that settles once the cancel request was delivered; the statement fails with 57014', async () => {
    const reserved = await sql.reserve();
    try {
      const query = reserved`SELECT pg_sleep(5)`;
      const failed = query.catch((error: { code?: string }) => error.code);
      await sleep(100);
      const delivered = query.cancel();
      expect(delivered).toBeInstanceOf(Promise);
      expect(query.cancel()).toBe(delivered); // once
      await delivered;
      expect(await failed).toBe('57014');
    } finally {
      reserved.release();
    }
  });

  it('a cancel of a statement that already ended resolves at once and sends nothing', async () => {
    const reserved = await sql.reserve();
    try {
      const done = reserved`SELECT 1 AS one`;
      await done;
      await done.cancel();
      expect(await reserved`SELECT pg_sleep(0.2), 'ran' AS outcome`).toMatchObject([{ outcome: 'ran' }]);
    } finally {
      reserved.release();
    }
  });

  it('PostgreSQL ignores a cancel that reaches an idle backend (why a connection is released only once its cancel was delivered)', async () => {
    const reserved = await sql.reserve();
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => undefined });
    try {
      const pid = (await reserved<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
      await admin`SELECT pg_cancel_backend(${pid})`; // the same signal a cancel request sends
      await sleep(50);
      expect(await reserved`SELECT pg_sleep(0.3), 'ran' AS outcome`).toMatchObject([{ outcome: 'ran' }]);
    } finally {
      reserved.release();
      await admin.end();
    }
  });

  it('release() of a reserved connection that closed meanwhile is a no-op, and the pool connects afresh', async () => {
    const reserved = await sql.reserve();
    const pid = (await reserved<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => undefined });
    try {
      await admin`SELECT pg_terminate_backend(${pid})`;
    } finally {
      await admin.end();
    }
    await sleep(300); // the driver sees its socket close
    expect(() => reserved.release()).not.toThrow();
    expect(() => reserved.release()).not.toThrow(); // twice, too
    const again = (await sql<{ again: number }[]>`SELECT pg_backend_pid() AS again`)[0]!.again;
    expect(again).not.toBe(pid);
  });
});
