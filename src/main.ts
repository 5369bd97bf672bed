import { createServer } from 'node:http';
import { createApp } from './app';
import { ConfigError } from './config/issues';
import { loadConfig } from './config/load';
import { FolderInUseError } from './db/folder-lock';
import { createLogger } from './logger';

/** The only place that reads the process environment and listens. */
async function main(): Promise<void> {
  const config = loadConfig({ env: process.env });
  const logger = createLogger(config.log.level);
  const app = await createApp(config, { logger });
  if (app.bootstrapToken) printBootstrapToken(app.bootstrapToken);

  const server = createServer(app.yoga);
  server.listen(config.server.port, config.server.host, () => {
    const database = config.database.url ? 'PostgreSQL' : `embedded PGlite in ${config.database.pgliteDir}`;
    logger.info(`GraphQL API and GraphiQL at http://${displayHost(config.server.host)}:${config.server.port}${config.server.graphqlPath} (${database})`);
  });

  const stop = (signal: string) => {
    logger.info(`${signal} received, shutting down`);
    server.close(() => void app.close().then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function printBootstrapToken(token: string): void {
  process.stdout.write(
    [
      '',
      '  No API credentials were configured, so an admin token was created.',
      '  It is shown this once (only its SHA-256 is stored):',
      '',
      `      ${token}`,
      '',
      '  Send it as the header  Authorization: Bearer <token>  (in GraphiQL: the Headers tab).',
      '  More tokens: npm run token:create -- --name <name> --role admin|reader',
      '',
      '',
    ].join('\n'),
  );
}

const displayHost = (host: string) => (host === '0.0.0.0' || host === '::' ? 'localhost' : host);

main().catch((error: unknown) => {
  const oneLine = error instanceof ConfigError || error instanceof FolderInUseError;
  process.stderr.write(`${oneLine ? error.message : (error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
