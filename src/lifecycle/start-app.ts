import { createApp, type App, type AppOptions } from '../app';
import type { AppConfig } from '../config/semantics';
import { failureCodes, isDatabaseUnreachable } from '../db/availability';
import type { Logger } from '../logger';
import { waitForDatabase } from './wait-for-database';

/**
 * Builds the app once its database is reachable (migrations included). PostgreSQL going away
 * again during the build sends the start back to waiting rather than ending it.
 */
export async function startApp(config: AppConfig, logger: Logger, env: AppOptions['env']): Promise<App> {
  const { url, connectTimeoutMs, startupWaitMs } = config.database;
  for (;;) {
    if (url) await waitForDatabase(url, { logger, connectTimeoutMs, startupWaitMs });
    try {
      return await createApp(config, { logger, env });
    } catch (error) {
      if (!url || !isDatabaseUnreachable(error)) throw error;
      logger.warn(`database went away while starting (${failureCodes(error)[0]}); waiting for it again`);
    }
  }
}
