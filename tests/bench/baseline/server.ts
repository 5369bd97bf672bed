import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import postgres from 'postgres';
import { BENCH_ACTOR, BENCH_TOKEN } from '../server-config';

/**
 * The raw-SQL baseline: node:http and postgres.js with hand-written, prepared statements (tagged
 * templates are prepared by default), answering the bench's GraphQL documents, recognised by
 * operation name, with exactly the JSON our server returns. No GraphQL is parsed: this is the
 * floor a GraphQL layer over the same tables is measured against.
 *
 * Run as a child process by the bench: BENCH_DATABASE_URL and PORT.
 */

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('BENCH_DATABASE_URL is not set');
const connection = { TimeZone: 'UTC', application_name: 'cug-bench-baseline' };
const sql = postgres(url, { max: 10, onnotice: () => undefined, connection });
// Searches with custom plans: a reused generic plan walks the login index for every term.
const searchSql = postgres(url, { max: 5, onnotice: () => undefined, connection: { ...connection, plan_cache_mode: 'force_custom_plan' } });

type Variables = Record<string, unknown>;
type Handler = (variables: Variables) => Promise<unknown>;

const text = (variables: Variables, name: string): string => {
  const value = variables[name];
  if (typeof value !== 'string') throw new Error(`variable ${name} must be a string`);
  return value;
};

/** `term*` as our server reads it with suffix `*`: `*` is the wildcard, % _ \ are literal. */
function likePattern(term: string): string {
  return `${term}*`
    .split(/\*+/)
    .map((part) => part.replace(/[\\%_]/g, '\\$&'))
    .join('%');
}

const userNode = (r: postgres.Row) => ({ login: r.login, firstName: r.first_name, lastName: r.last_name, email: r.email });

const handlers: Readonly<Record<string, Handler>> = {
  W1: async (variables) => {
    const [row] = await sql`
      SELECT u.login, u.first_name, u.last_name, u.email, c.customer_id AS c_id, c.name AS c_name
      FROM customer_user u LEFT JOIN customer_company c ON lower(c.customer_id) COLLATE "C" = lower(u.customer_id)
      WHERE lower(u.login) COLLATE "C" = lower(${text(variables, 'login')})`;
    if (!row) return { customerUser: null };
    const customer = row.c_id === null ? null : { customerId: row.c_id, name: row.c_name };
    return { customerUser: { ...userNode(row), customer } };
  },

  W2: async (variables) => {
    const pattern = likePattern(text(variables, 'term'));
    const rows = await searchSql`
      SELECT login, first_name, last_name, email FROM customer_user
      WHERE valid_id = 1 AND (login ILIKE ${pattern} OR first_name ILIKE ${pattern} OR last_name ILIKE ${pattern} OR email ILIKE ${pattern})
      ORDER BY lower(login) COLLATE "C", login COLLATE "C" LIMIT 251`;
    return { customerUsers: { nodes: rows.slice(0, 250).map(userNode) } };
  },

  W3r: async (variables) => {
    const id = text(variables, 'id');
    const [companies, users] = await Promise.all([
      sql`SELECT customer_id, name FROM customer_company WHERE lower(customer_id) COLLATE "C" = lower(${id})`,
      sql`SELECT login, first_name, last_name, email FROM customer_user
          WHERE lower(customer_id) COLLATE "C" = lower(${id}) AND valid_id = 1
          ORDER BY lower(login) COLLATE "C", login COLLATE "C" LIMIT 51`,
    ]);
    const company = companies[0];
    if (!company) return { customer: null };
    return { customer: { customerId: company.customer_id, name: company.name, users: { nodes: users.slice(0, 50).map(userNode) } } };
  },

  // One statement: the page of users, each with its direct grants (by group id, types sorted) and
  // its valid services by name, or the valid default services when it has none of its own.
  W3: async (variables) => {
    const id = text(variables, 'id');
    const [companies, users] = await Promise.all([
      sql`SELECT customer_id FROM customer_company WHERE lower(customer_id) COLLATE "C" = lower(${id})`,
      sql`
        WITH defaults AS (
          SELECT coalesce(json_agg(json_build_object('name', s.name) ORDER BY lower(s.name) COLLATE "C", s.name COLLATE "C"), '[]') AS services
          FROM service_customer_user scu JOIN service s ON s.id = scu.service_id AND s.valid_id = 1
          WHERE lower(scu.customer_user_login) COLLATE "C" = '<default>'
        )
        SELECT u.login,
          (SELECT coalesce(json_agg(json_build_object('group', json_build_object('name', g.name), 'types', p.types) ORDER BY p.group_id), '[]')
             FROM (SELECT group_id, array_agg(permission_key ORDER BY lower(permission_key) COLLATE "C", permission_key COLLATE "C") AS types
                   FROM group_customer_user
                   WHERE lower(user_id) COLLATE "C" = lower(u.login) AND permission_value = 1 GROUP BY group_id) p
             JOIN groups_table g ON g.id = p.group_id) AS groups,
          (SELECT json_agg(json_build_object('name', s.name) ORDER BY lower(s.name) COLLATE "C", s.name COLLATE "C")
             FROM service_customer_user scu JOIN service s ON s.id = scu.service_id AND s.valid_id = 1
             WHERE lower(scu.customer_user_login) COLLATE "C" = lower(u.login)) AS own,
          (SELECT services FROM defaults) AS defaults
        FROM customer_user u
        WHERE lower(u.customer_id) COLLATE "C" = lower(${id}) AND u.valid_id = 1
        ORDER BY lower(u.login) COLLATE "C", u.login COLLATE "C" LIMIT 50`,
    ]);
    const company = companies[0];
    if (!company) return { customer: null };
    const nodes = users.map((u) => ({
      login: u.login,
      groupPermissions: u.groups,
      services: u.own === null ? { fromDefaults: true, services: u.defaults } : { fromDefaults: false, services: u.own },
    }));
    return { customer: { customerId: company.customer_id, users: { nodes } } };
  },

  // One statement, so one implicit transaction: the row is locked, updated and audited together
  // (an unchanged value is not audited, as our server does).
  W4: async (variables) => {
    const phone = variables.phone === null || variables.phone === undefined ? null : text(variables, 'phone');
    const [row] = await sql`
      WITH target AS (
        SELECT id, phone FROM customer_user WHERE lower(login) COLLATE "C" = lower(${text(variables, 'login')}) FOR UPDATE
      ), changed AS (
        UPDATE customer_user u SET phone = ${phone}, change_time = current_timestamp, change_by = 1
        FROM target WHERE u.id = target.id
        RETURNING u.login, u.phone, target.phone AS old_phone, u.change_time
      ), audit AS (
        INSERT INTO customer_graphql.gql_audit_log (entity_type, entity_key, action, actor, agent_id, changes)
        SELECT 'CustomerUser', login, 'update', ${BENCH_ACTOR}, 1,
               jsonb_build_array(jsonb_build_object('field', 'phone', 'old', old_phone, 'new', phone))
        FROM changed WHERE old_phone IS DISTINCT FROM phone
      )
      SELECT login, phone, to_char(change_time, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS changed_at FROM changed`;
    if (!row) throw new Error('no such customer user');
    return { updateCustomerUser: { login: row.login, phone: row.phone, changedAt: row.changed_at } };
  },
};

function reply(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.headers.authorization !== `Bearer ${BENCH_TOKEN}`) return reply(response, 401, { errors: [{ message: 'unauthorized' }] });
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operationName?: string; variables?: Variables };
  const handler = handlers[body.operationName ?? ''];
  if (!handler) return reply(response, 400, { errors: [{ message: `unknown operation ${body.operationName}` }] });
  try {
    reply(response, 200, { data: await handler(body.variables ?? {}) });
  } catch (error) {
    reply(response, 200, { errors: [{ message: (error as Error).message }], data: null });
  }
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => reply(response, 400, { errors: [{ message: String(error) }] }));
});
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void Promise.all([sql.end({ timeout: 2 }), searchSql.end({ timeout: 2 })]).then(() => process.exit(0));
});
