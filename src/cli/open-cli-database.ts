import { ConfigError } from '../config/issues';
import type { AppConfig } from '../config/semantics';
import { databaseTarget, openDatabase, type Database } from '../db/client';
import { FolderInUseError } from '../db/folder-lock';

/**
 * Opens the configured database for a command. On PGlite a running server holds the data folder,
 * and a second process must not open it: the command then fails with the lock's line plus what to
 * do instead (`whileRunning`), on one line.
 */
export async function openCliDatabase(config: AppConfig, whileRunning: string): Promise<Database> {
  try {
    return await openDatabase(databaseTarget(config.database));
  } catch (error) {
    if (error instanceof FolderInUseError) throw new FolderInUseError(error.folder, error.holder, whileRunning);
    throw error;
  }
}

/**
 * Runs a database command: a config or folder-lock problem ends it with its one line, anything
 * else with its stack; either way with exit code 1.
 */
export function runDatabaseCommand(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const oneLine = error instanceof ConfigError || error instanceof FolderInUseError;
    process.stderr.write(`${oneLine ? error.message : String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
}
