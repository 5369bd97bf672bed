import { createServer } from 'node:http';
import { answerHelp } from './cli/help';
import { ConfigError } from './config/issues';
import { loadConfig } from './config/load';
import { FolderInUseError } from './db/folder-lock';
import { probingHandler, type ServingState } from './http/probes';
import { listen } from './lifecycle/listen';
import { InFlightRequests, stopOnSignals } from './lifecycle/shutdown';
import { startApp } from './lifecycle/start-app';
import { StartupError } from './lifecycle/startup-error';
import { createLogger } from './logger';

/**
 * The only place that reads the process environment and listens. It listens first, so /health and
 * /ready answer while the database is still awaited.
 */
async function main(): Promise<void> {
  answerHelp(USAGE);
  const config = loadConfig({ env: process.env });
  const logger = createLogger(config.log.level);
  const state: ServingState = { app: null, stopping: false };
  const server = createServer(probingHandler(state));
  const requests = new InFlightRequests(server);
  await listen(server, config.server.port, config.server.host);

  stopOnSignals({
    server,
    requests,
    graceMs: config.server.shutdownGraceMs,
    logger,
    beginStopping: () => (state.stopping = true),
    closeApp: () => state.app?.close() ?? Promise.resolve(),
  });

  const app = await startApp(config, logger, process.env);
  if (state.stopping) return void app.close();
  state.app = app;
  if (app.bootstrapToken) printBootstrapToken(app.bootstrapToken);
  const database = config.database.url ? 'PostgreSQL' : `embedded PGlite in ${config.database.pgliteDir}`;
  logger.info(`GraphQL API and GraphiQL at http://${displayHost(config.server.host)}:${config.server.port}${config.server.graphqlPath} (${database})`);
}

const USAGE = `
npm start  (from source, via tsx)   |   npm run start:prod  or  node dist/src/main.js  (compiled: npm run build)

Starts the GraphQL server: GraphiQL and the API at http://127.0.0.1:4000/graphql, probes at /health and /ready.
It takes no arguments. Configuration: config/defaults.json, then config/local.json (or the file in CONFIG_FILE),
then the environment: DATABASE_URL (postgres://…; unset: the embedded PGlite), PGLITE_DIR, HOST, PORT, LOG_LEVEL,
and CONFIG__<section>__<key>=<value> for any key (e.g. CONFIG__server__introspection=false). See README.md.
`;

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
  const oneLine = error instanceof ConfigError || error instanceof StartupError || error instanceof FolderInUseError;
  process.stderr.write(`${oneLine ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
});
