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
