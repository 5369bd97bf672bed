import { parseArgs } from 'node:util';
import { TokenStore } from '../auth/token-store';
import { loadConfig } from '../config/load';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors';
import { answerHelp } from './help';
import { openCliDatabase } from './open-cli-database';

const USAGE = 'usage: npm run token:create -- --name <name> [--role admin|reader] [--agent-id <OTOBO agent id>]';

/** `npm run token:create -- --name ci --role reader [--agent-id 1]`: prints a new API token once. */
async function main(): Promise<void> {
  answerHelp(`
${USAGE}
   (compiled: node dist/src/cli/create-token.js --name …)

Creates an API token in the database and prints it once (only its SHA-256 is stored). --role defaults to admin,
--agent-id (the OTOBO agent recorded as create_by/change_by) to 1. Reads the configuration as the server does.
On PGlite it cannot run while the server holds the data folder: use the createApiToken mutation then.
`);
  const { values } = parseArgs({
    options: { name: { type: 'string' }, role: { type: 'string', default: 'admin' }, 'agent-id': { type: 'string', default: '1' } },
  });
  const role = values.role;
  const agentId = Number(values['agent-id']);
  if (!values.name || (role !== 'admin' && role !== 'reader') || !Number.isInteger(agentId) || agentId < 1) {
    throw new Error(USAGE);
  }
  const config = loadConfig({ env: process.env });
  const database = await openCliDatabase(
    config,
    `While the server runs, an admin can create the token through the API instead: mutation { createApiToken(name: "${values.name}", role: ${role.toUpperCase()}) { token } }`,
  );
  try {
    await database.migrate();
    const token = await new TokenStore(database.db, []).create(values.name, role, agentId);
    process.stdout.write(`${token}\n`);
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) throw new Error(`a token named "${values.name}" already exists`);
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
