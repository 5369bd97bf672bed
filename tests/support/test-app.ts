import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createApp, type App } from '../../src/app';
import { deepMerge, loadConfig } from '../../src/config/load';
import type { AppConfig } from '../../src/config/semantics';
import { createLogger, type Logger } from '../../src/logger';
import { createTestDatabase, type TestDatabase } from './test-database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const READER_TOKEN = 'test-reader-token-0123456789abcdef';

/** Shipped defaults plus what tests need: known tokens, a cheap bcrypt cost, quiet logs. */
export function testConfig(overrides: unknown = {}): AppConfig {
  const base = {
    auth: {
      tokens: [
        { name: 'test-admin', token: ADMIN_TOKEN, role: 'admin' },
        { name: 'test-reader', token: READER_TOKEN, role: 'reader' },
      ],
    },
    passwords: { bcryptCost: 4 },
    log: { level: 'silent' },
  };
  return loadConfig({ localFile: null, env: {}, overrides: deepMerge(base, overrides) });
}

export interface GraphQLErrorJson {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Record<string, unknown> & { code?: string };
}

export interface GraphQLResult<T> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: readonly GraphQLErrorJson[];
}

export interface RequestOptions {
  /** The bearer token; null sends no Authorization header. Defaults to the admin token. */
  readonly token?: string | null;
}

export class TestApp {
  private server: Promise<{ server: Server; url: string }> | null = null;

  constructor(
    readonly app: App,
    readonly testDatabase: TestDatabase,
    private readonly ownsDatabase: boolean,
  ) {}

  /**
   * The app's real HTTP handler on a loopback port, started on first use: requests take the path
   * production requests take (the fast path for JSON POSTs, yoga for the rest).
   */
  get graphqlUrl(): Promise<string> {
    this.server ??= new Promise((resolve, reject) => {
      const server = createServer(this.app.handler);
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve({ server, url: `http://127.0.0.1:${port}${this.app.graphqlPath}` });
      });
    });
    return this.server.then((s) => s.url);
  }

  get statements() {
    return this.app.database.statements;
  }

  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables> | string,
    variables?: TVariables,
    options: RequestOptions = {},
  ): Promise<GraphQLResult<TResult>> {
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const query = typeof document === 'string' ? document : print(document);
    const response = await fetch(await this.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: TResult; errors?: GraphQLErrorJson[] };
    return { status: response.status, ...body };
  }

  /** Like request, but fails the test on any GraphQL error and returns the data. */
  async ok<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables> | string, variables?: TVariables, options?: RequestOptions): Promise<TResult> {
    const result = await this.request(document, variables, options);
    if (result.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
    return result.data as TResult;
  }

  async close(): Promise<void> {
    if (this.server) {
      const { server } = await this.server;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await this.app.close();
    if (this.ownsDatabase) await this.testDatabase.dispose();
  }
}

export interface StartOptions {
  readonly overrides?: unknown;
  /** Reuse a database (it is then not disposed by close). */
  readonly database?: TestDatabase;
  /** The environment the app reads secrets from (LDAP UserPwEnv). */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the app logs (default: nowhere). */
  readonly logger?: Logger;
}

/** A real app on a fresh database (PGlite or PostgreSQL), called in-process through yoga.fetch. */
export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const owned = options.database ? null : await createTestDatabase();
  const testDatabase = options.database ?? owned!;
  const config = testConfig(options.overrides);
  try {
    const app = await createApp(config, { database: testDatabase.database, logger: options.logger ?? createLogger('silent'), env: options.env });
    return new TestApp(app, testDatabase, owned !== null);
  } catch (error) {
    await owned?.dispose();
    throw error;
  }
}

/** The single error of a failed result, for asserting its code and message. */
export function onlyError(result: GraphQLResult<unknown>): GraphQLErrorJson {
  if (result.errors?.length !== 1) throw new Error(`expected exactly one error, got ${JSON.stringify(result.errors)}`);
  return result.errors[0]!;
}
