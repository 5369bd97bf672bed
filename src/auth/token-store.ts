import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { TokenSettings } from '../config/schema';
import type { Db } from '../db/client';
import { gqlApiToken } from '../db/schema';
import type { Role, Session } from './session';

const TOKEN_PREFIX = 'cug_';
/** How long a token found in the database is trusted without asking again. */
const CACHE_MILLISECONDS = 30_000;

/** A database token as the API lists it: never its secret or hash. */
export interface ApiTokenInfo {
  readonly name: string;
  readonly role: string;
  readonly agentId: number;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

const INFO_COLUMNS = {
  name: gqlApiToken.name,
  role: gqlApiToken.role,
  agentId: gqlApiToken.agentId,
  createdAt: gqlApiToken.createdAt,
  revokedAt: gqlApiToken.revokedAt,
};

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * API tokens from the config file (token or its SHA-256) and from the database (created by the
 * bootstrap or `npm run token:create`; only their SHA-256 is stored).
 */
export class TokenStore {
  private readonly configured: ReadonlyMap<string, Session>;
  /**
   * Config-file tokens given in plain text, by that text: found without hashing (SHA-256 was 1 %
   * of a simple read's CPU). The config holds them in memory anyway; a Map compares by hash first,
   * so a near miss is not told apart by its timing.
   */
  private readonly configuredPlain: ReadonlyMap<string, Session>;
  private readonly cache = new Map<string, { session: Session; until: number }>();

  constructor(
    private readonly db: Db,
    tokens: readonly TokenSettings[],
  ) {
    const sessions: Session[] = tokens.map((t) => ({ role: t.role, label: `token:${t.name}`, agentId: t.agentId }));
    this.configured = new Map(tokens.map((t, i) => [t.sha256 ?? sha256Hex(t.token!), sessions[i]!]));
    this.configuredPlain = new Map(tokens.flatMap((t, i) => (t.token ? [[t.token, sessions[i]!] as const] : [])));
  }

  async authenticate(token: string): Promise<Session | null> {
    const plain = this.configuredPlain.get(token);
    if (plain) return plain;
    const hash = sha256Hex(token);
    const fromConfig = this.configured.get(hash);
    if (fromConfig) return fromConfig;
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.session;
    const [row] = await this.db
      .select()
      .from(gqlApiToken)
      .where(and(eq(gqlApiToken.tokenSha256, hash), isNull(gqlApiToken.revokedAt)));
    if (!row) return null;
    const session: Session = { role: row.role as Role, label: `token:${row.name}`, agentId: row.agentId };
    this.cache.set(hash, { session, until: Date.now() + CACHE_MILLISECONDS });
    return session;
  }

  /** Creates a token in the database and returns it: the only time it is ever visible. */
  async create(name: string, role: Role, agentId: number, executor: Db = this.db): Promise<string> {
    const token = newToken();
    await executor.insert(gqlApiToken).values({ name, role, agentId, tokenSha256: sha256Hex(token) });
    return token;
  }

  /** Whether a token of the config file has this name (those cannot be created or revoked here). */
  isConfigured(name: string): boolean {
    return [...this.configured.values()].some((session) => session.label === `token:${name}`);
  }

  /** The database's tokens, without their hashes, oldest first. */
  list(executor: Db = this.db): Promise<ApiTokenInfo[]> {
    return executor.select(INFO_COLUMNS).from(gqlApiToken).orderBy(asc(gqlApiToken.id));
  }

  async get(name: string, executor: Db = this.db): Promise<ApiTokenInfo | null> {
    const [row] = await executor.select(INFO_COLUMNS).from(gqlApiToken).where(eq(gqlApiToken.name, name));
    return row ?? null;
  }

  async revoke(name: string, executor: Db = this.db): Promise<void> {
    await executor.update(gqlApiToken).set({ revokedAt: sql`now()` }).where(and(eq(gqlApiToken.name, name), isNull(gqlApiToken.revokedAt)));
  }

  /** After a revocation commits: this process stops accepting the token at once, others within CACHE_MILLISECONDS. */
  forgetCached(): void {
    this.cache.clear();
  }

  /**
   * On a first start with no credentials anywhere, creates an admin token so the server is usable
   * at once; returns it for printing, or null when credentials exist.
   */
  async bootstrapAdminToken(): Promise<string | null> {
    if (this.configured.size > 0) return null;
    const [{ count } = { count: 0 }] = await this.db.select({ count: sql<number>`count(*)::int` }).from(gqlApiToken);
    if (count > 0) return null;
    const token = newToken();
    // Two instances starting together: the second insert finds the name taken and prints nothing.
    const inserted = await this.db
      .insert(gqlApiToken)
      .values({ name: 'bootstrap-admin', role: 'admin', agentId: 1, tokenSha256: sha256Hex(token) })
      .onConflictDoNothing({ target: gqlApiToken.name })
      .returning({ id: gqlApiToken.id });
    return inserted.length > 0 ? token : null;
  }
}
