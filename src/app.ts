import { sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { AgentDirectory } from './agents/agent-directory';
import { ApiTokenService } from './auth/api-token-service';
import type { Session } from './auth/session';
import { TokenStore } from './auth/token-store';
import { openCustomerStore } from './backends/db/open-stores';
import { warnAboutMissingIndexes } from './backends/db/speed-indexes';
import { ChangeFeed } from './changes/change-feed';
import { ChangeWriter } from './changes/change-writer';
import { HistoryReader } from './changes/history';
import type { AppConfig } from './config/semantics';
import { CustomerService } from './customer/service';
import type { CustomerUserBackend } from './customer-user/backend';
import { openCustomerUserBackends } from './customer-user/registry';
import { CustomerUserService } from './customer-user/service';
import { DatabaseAvailability } from './db/availability';
import { databaseTarget, openDatabase, type Database } from './db/client';
import { detectGroupTable } from './db/group-table';
import { databaseFailureError } from './db/failure-errors';
import { pingPostgres } from './db/ping';
import { httpRefusals } from './edge/http-refusals';
import { corsOptions } from './http/cors';
import { graphiqlPage } from './http/graphiql-page';
import { createGraphqlHandler, type GraphqlHandler } from './http/graphql-fast-path';
import { DomainError } from './errors';
import { createRelationServices } from './relations/relation-services';
import { createLogger, yogaLogger, type Logger } from './logger';
import { PasswordHasher } from './passwords/hash-pool';
import { BackendErrors, reportBackendErrors } from './schema/backend-errors';
import { buildSchema } from './schema/build-schema';
import type { AppServices, GraphQLContext } from './schema/context';
import { armorLimits } from './schema/armor';
import { createLoaders } from './schema/loaders';
import { queryCostLimit } from './schema/query-cost';
import { refuseIntrospection } from './schema/refuse-introspection';
import { refuseUnsafeValues } from './schema/refuse-unsafe-values';
import { createRelationLoaders } from './schema/relation-loaders';
import { refuseWhileDatabaseDown } from './schema/refuse-while-down';
import { codeRequestErrors } from './schema/request-error-codes';
import { SearchBudget } from './schema/search-budget';
import { SearchGates } from './schema/search-gate';

export interface App {
  /** The HTTP handler: the fast path for plain JSON POSTs, yoga for everything else. */
  readonly handler: GraphqlHandler;
  readonly graphqlPath: string;
  readonly yoga: YogaServerInstance<Record<string, unknown>, GraphQLContext>;
  readonly services: AppServices;
  readonly database: Database;
  readonly feed: ChangeFeed;
  readonly tokens: TokenStore;
  /** Whether the database answers; /ready reports it. */
  readonly availability: DatabaseAvailability;
  /** The password hashing worker pool (closed with the app). */
  readonly hasher: PasswordHasher;
  /** Set on a first start without credentials: print it once, it is not shown again. */
  readonly bootstrapToken: string | null;
  close(): Promise<void>;
}

export interface AppOptions {
  /** An already opened database (tests); otherwise opened from config.database. */
  readonly database?: Database;
  readonly logger?: Logger;
  /** Where LDAP bind passwords named by UserPwEnv are read (main passes the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Builds the whole server for a configuration (database, services, schema); never listens. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.log.level);
  const database = options.database ?? (await openDatabase(databaseTarget(config.database)));
  const ownsDatabase = options.database === undefined;
  let userBackends: CustomerUserBackend[] = [];
  const closeBackends = () => Promise.all(userBackends.map((b) => b.close()));
  try {
    await database.migrate();
    const customerStore = await openCustomerStore(config, database);
    userBackends = await openCustomerUserBackends(config.customerUserBackends, { serverDatabase: database, env: options.env ?? {} }, logger);
    await warnAboutMissingIndexes(config, database.db, logger);
    const feed = new ChangeFeed();
    const hasher = new PasswordHasher({ threads: config.passwords.hashThreads, queue: config.passwords.hashQueue });
    const writer = new ChangeWriter(database, feed);
    const customers = new CustomerService(config.CustomerCompany, customerStore.store, customerStore.columns, writer);
    const customerUsers = new CustomerUserService(
      userBackends,
      config.customerUserFields,
      customers,
      writer,
      {
        email: {
          enabled: config.CheckEmailAddresses,
          alwaysValid: config.CheckEmailValidAddress ? new RegExp(config.CheckEmailValidAddress, 'i') : null,
          invalid: config.CheckEmailInvalidAddress ? new RegExp(config.CheckEmailInvalidAddress, 'i') : null,
        },
        passwords: config.passwords,
        hasher,
      },
    );
    customers.setReferences(customerUsers);
    const tokens = new TokenStore(database.db, config.auth.tokens);
    const agents = new AgentDirectory(database.db);
    const services: AppServices = {
      config,
      customerUsers,
      customers,
      agents,
      history: new HistoryReader(database.db),
      searchGates: new SearchGates(config.limits),
      relations: createRelationServices(config, database.db, writer, customerUsers, customers, await detectGroupTable(database.db), feed),
      apiTokens: new ApiTokenService(tokens, writer, agents),
    };
    const bootstrapToken = config.auth.bootstrapAdminToken ? await tokens.bootstrapAdminToken() : null;
    const { url, connectTimeoutMs } = config.database;
    const probe = url ? () => pingPostgres(url, connectTimeoutMs) : () => database.db.execute(sql`SELECT 1`);
    const availability = new DatabaseAvailability({ probe, logger });
    const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
      schema: buildSchema(config),
      graphqlEndpoint: config.server.graphqlPath,
      maxRequestBodySize: config.server.maxBodyBytes,
      landingPage: false,
      logging: yogaLogger(logger),
      context: async ({ request }) => {
        const backendErrors = new BackendErrors();
        return {
          session: await authenticate(tokens, request.headers.get('authorization')),
          services,
          backendErrors,
          loaders: createLoaders(services, backendErrors.report),
          relationLoaders: createRelationLoaders(services.relations),
          searchBudget: new SearchBudget(config.limits.maxSearchesPerRequest),
          // A function, not a getter: envelop copies the context's properties, which would make the
          // fast path's AbortController for every request; only searches ask for it.
          clientSignal: () => request.signal,
        };
      },
      graphiql: false, // served by graphiqlPage, compressed and cacheable
      cors: corsOptions(config.server.cors),
      maskedErrors: { maskError: (error) => databaseFailureError(error, availability) ?? maskUnexpected(error) },
      // Refusals in order: the database away, unreadable HTTP, armor's shape limits, unsafe values, then the cost estimate.
      plugins: [
        ...(config.server.graphiql ? [graphiqlPage(config.server.graphqlPath)] : []),
        ...(config.server.introspection ? [] : [refuseIntrospection()]),
        refuseWhileDatabaseDown(availability),
        httpRefusals(),
        codeRequestErrors(),
        armorLimits(config.limits),
        refuseUnsafeValues(config.limits),
        queryCostLimit(config.limits),
        reportBackendErrors(),
        useGraphQlJit(),
      ],
    });
    const handler = createGraphqlHandler(yoga, { ...config.server, logger });
    const close = async () => {
      availability.close();
      await hasher.close();
      await closeBackends();
      if (ownsDatabase) await database.close();
    };
    return { handler, graphqlPath: config.server.graphqlPath, yoga, services, database, feed, tokens, availability, hasher, bootstrapToken, close };
  } catch (error) {
    await closeBackends();
    if (ownsDatabase) await database.close();
    throw error;
  }
}

/** No header: anonymous (only introspection works). A header that does not authenticate: refused outright. */
async function authenticate(tokens: TokenStore, header: string | null): Promise<Session | null> {
  if (header === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const session = match ? await tokens.authenticate(match[1]!) : null;
  if (!session) {
    const error = new DomainError('UNAUTHENTICATED', 'The Authorization header does not carry a valid API token (expected "Bearer <token>")');
    Object.assign(error.extensions, { http: { status: 401 } }); // yoga sets the status and strips this key
    throw error;
  }
  return session;
}

/**
 * Our own errors pass with their codes; anything else is answered without details (yoga then logs
 * the original through yogaLogger).
 */
function maskUnexpected(error: unknown): Error {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof GraphQLError) return error as GraphQLError;
  return new GraphQLError('Internal server error', {
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
    path: error instanceof GraphQLError ? error.path : undefined,
  });
}
