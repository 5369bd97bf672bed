import { searchIndexNeeds } from '../backends/db/open-stores';
import { createMissingSearchIndexes } from '../backends/db/search-indexes';
import { addMissingMapColumns } from '../backends/db/table-columns';
import { answerHelp } from './help';
import { loadConfig } from '../config/load';
import { isLocalTable } from '../config/semantics';
import { openCliDatabase, runDatabaseCommand } from './open-cli-database';

/**
 * `npm run db:add-map-columns`: creates the columns that configured Map rows name but the tables
 * lack (ALTER TABLE … ADD COLUMN IF NOT EXISTS; `var` as VARCHAR(250), `int` as INTEGER), then the
 * indexes the configured search columns need. Existing columns are never changed or dropped.
 */
async function main(): Promise<void> {
  answerHelp(`
npm run db:add-map-columns   (compiled: node dist/src/cli/add-map-columns.js)

Creates the columns that the configured Maps name but the tables lack (var: VARCHAR(250), int: INTEGER), and the
indexes of the configured search columns (trigram GIN for CustomerUserSearchFields, case-insensitive btree for
CustomerUserPostMasterSearchFields). Never changes or drops a column; running it twice is harmless. Reads the
configuration as the server does (config/local.json or CONFIG_FILE, DATABASE_URL, CONFIG__…). On PGlite, stop the
server first; on PostgreSQL it works while the server runs (restart the server to serve new columns).
`);
  const config = loadConfig({ env: process.env });
  const database = await openCliDatabase(
    config,
    'Stop the server, run this command, then start the server again (it needs the restart to serve new columns anyway)',
  );
  try {
    await database.migrate();
    for (const backend of [...config.customerUserBackends.filter(isLocalTable), config.CustomerCompany]) {
      const added = await addMissingMapColumns(database.db, backend.Params.Table, backend.fields);
      const what = added.length > 0 ? `added ${added.join(', ')}` : 'nothing to add';
      process.stdout.write(`${backend.id} (${backend.Params.Table}): ${what}\n`);
    }
    for (const needs of searchIndexNeeds(config)) {
      const created = await createMissingSearchIndexes(database.db, needs);
      if (created.length > 0) process.stdout.write(`${needs.table}: created search indexes ${created.join(', ')}\n`);
    }
  } finally {
    await database.close();
  }
}

runDatabaseCommand(main);
