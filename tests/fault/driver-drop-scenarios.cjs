// Connection-drop scenarios for postgres.js, run as a child process by driver-connection-drop.test.ts
// (unpatched, the first one ends the process from a setImmediate, which would take Jest down with it).
// Usage: node driver-drop-scenarios.cjs <scenario> <database url>; prints one JSON line.
const net = require('node:net');
const postgres = require('postgres');

const [scenario, url] = process.argv.slice(2);
process.on('uncaughtException', (error) => {
  console.log(JSON.stringify({ crashed: `${error.message} ${error.stack.split('\n')[1].trim()}` }));
  process.exit(3);
});

const scenarios = {
  // A transaction whose backend dies mid-statement: postgres.js then writes ROLLBACK to the closed
  // connection, and the flush scheduled for it dereferences the null socket (#1154, #1208).
  async 'backend-killed-in-transaction'() {
    const sql = postgres(url, { max: 2, onnotice: () => undefined });
    const admin = postgres(url, { max: 1, onnotice: () => undefined });
    const outcome = await sql
      .begin(async (tx) => {
        const [{ pid }] = await tx`select pg_backend_pid() as pid`;
        setTimeout(() => admin`select pg_terminate_backend(${pid})`.catch(() => undefined), 100);
        await tx`select pg_sleep(5)`;
      })
      .then(() => 'committed', (error) => error.code);
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the scheduled flush run
    const after = await sql`select 1 as one`.then((rows) => rows[0].one);
    await Promise.all([sql.end({ timeout: 1 }), admin.end({ timeout: 1 })]);
    return { outcome, after };
  },

  // The socket closes while a flush is scheduled: closed() cleared the timer without nulling it, so
  // write() never scheduled a flush again and the reconnected connection hung until connect_timeout.
  async 'socket-closed-with-write-pending'() {
    const sockets = [];
    const { hostname, port } = new URL(url);
    const sql = postgres(url, {
      max: 1,
      connect_timeout: 2,
      onnotice: () => undefined,
      // Real TCP connections the scenario can cut at a chosen moment.
      socket: () =>
        new Promise((resolve, reject) => {
          const socket = net.connect(Number(port || 5432), hostname, () => resolve(socket));
          socket.once('error', reject);
          sockets.push(socket);
        }),
    });
    await sql`select 1`;
    // Cut inside setImmediate: the flush of `select 2` is then still pending when 'close' is handled.
    const late = await new Promise((resolve) =>
      setImmediate(() => {
        const query = sql`select 2`.then(() => 'answered', (error) => error.code);
        sockets[0].destroy();
        resolve(query);
      }),
    );
    const started = Date.now();
    const after = await sql`select 3 as three`.then((rows) => rows[0].three, (error) => error.code);
    const afterMs = Date.now() - started;
    await sql.end({ timeout: 1 });
    return { late, after, afterMs };
  },

  // A backend terminated while its query runs: PostgreSQL's FATAL error was kept as the connection's
  // pending error response, and the reconnected connection failed its next query with it (57P01).
  async 'backend-killed-mid-query'() {
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    const admin = postgres(url, { max: 1, onnotice: () => undefined });
    const [{ pid }] = await sql`select pg_backend_pid() as pid`;
    const running = sql`select pg_sleep(5)`.then(() => 'answered', (error) => error.code);
    setTimeout(() => admin`select pg_terminate_backend(${pid})`.catch(() => undefined), 100);
    const outcome = await running;
    const after = await sql`select 1 as one`.then((rows) => rows[0].one, (error) => error.code);
    await Promise.all([sql.end({ timeout: 1 }), admin.end({ timeout: 1 })]);
    return { outcome, after };
  },
};

scenarios[scenario]().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => {
    console.log(JSON.stringify({ failed: String(error && error.stack) }));
    process.exit(2);
  },
);
