import { parseArgs } from 'node:util';
import { createSpeedIndexes, indexPlan, missingSpeedIndexes } from '../backends/db/speed-indexes';
import { loadConfig } from '../config/load';
import { openCliDatabase, runDatabaseCommand } from './open-cli-database';

const HELP = `Usage: npm run db:indexes [-- --print]

Creates the indexes this server wants for speed on OTOBO's tables and that the database lacks:
trigram indexes (pg_trgm) for free-text search and lower(...) indexes for case-insensitive lookups
of logins, CustomerIDs and email addresses. The server warns at startup while any is missing.
Each is built with CREATE INDEX CONCURRENTLY IF NOT EXISTS, so OTOBO and this server keep working
meanwhile; the pg_trgm extension is created first when needed (CREATE EXTENSION needs CREATE on the
database). Nothing else is changed. It reads the same configuration as the server (DATABASE_URL, ...).

  --print   show the SQL it would run, change nothing
  --help    show this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { print: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help) return void process.stdout.write(HELP);
  const config = loadConfig({ env: process.env });
  // Building an index on a large table takes longer than any statement the server itself sends.
  const database = await openCliDatabase(
    { ...config, database: { ...config.database, statementTimeoutMs: 0 } },
    'The embedded database allows one process at a time: stop the server, run this command, then start the server again',
  );
  try {
    const missing = await missingSpeedIndexes(database.db, config);
    if (missing.length === 0) return void process.stdout.write('all indexes are present\n');
    if (values.print) {
      for (const statement of await indexPlan(database.db, missing)) process.stdout.write(`${statement};\n`);
      return;
    }
    const outcome = await createSpeedIndexes(database.db, missing, (line) => process.stdout.write(`${line}\n`));
    for (const failure of outcome.failures) process.stderr.write(`${failure}\n`);
    if (outcome.failures.length > 0) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

runDatabaseCommand(main);
