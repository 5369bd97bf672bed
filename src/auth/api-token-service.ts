import type { AgentDirectory } from '../agents/agent-directory';
import type { Actor, ChangeWriter } from '../changes/change-writer';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors';
import { badInput, conflict, notFound } from '../errors';
import type { Role } from './session';
import type { ApiTokenInfo, TokenStore } from './token-store';

/** Names end up in audit rows as `token:<name>`: kept short and plain. */
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

export interface CreatedApiToken {
  /** The secret, shown this once: only its SHA-256 is stored. */
  readonly token: string;
  readonly apiToken: ApiTokenInfo;
}

/**
 * Database API tokens managed through the API (admins only), each change audited like a record's
 * (entity type ApiToken, keyed by name). Works while the server runs, on PGlite too, where
 * `npm run token:create` cannot open the data folder.
 */
export class ApiTokenService {
  constructor(
    private readonly tokens: TokenStore,
    private readonly writer: ChangeWriter,
    private readonly agents: AgentDirectory,
  ) {}

  list(): Promise<ApiTokenInfo[]> {
    return this.tokens.list();
  }

  async create(name: string, role: Role, agentId: number, actor: Actor): Promise<CreatedApiToken> {
    if (!TOKEN_NAME.test(name)) {
      throw badInput('name must be 1–100 characters: letters, digits and . _ @ - (starting with a letter or digit)', { field: 'name' });
    }
    if (this.tokens.isConfigured(name)) throw conflict(`A token named "${name}" is configured in the config file`, { field: 'name' });
    if ((await this.agents.getByIds([agentId])).length === 0) {
      throw badInput(`No OTOBO agent with id ${agentId} exists`, { field: 'agentId', reason: 'UNKNOWN_AGENT' });
    }
    return this.writer
      .write(actor, async (scope) => {
        const token = await this.tokens.create(name, role, agentId, scope.tx);
        scope.record({
          entityType: 'ApiToken',
          key: name,
          action: 'create',
          changes: { role: { old: null, new: role }, agentId: { old: null, new: agentId }, token: { old: null, new: '(set)' } },
        });
        return { token, apiToken: (await this.tokens.get(name, scope.tx))! };
      })
      .catch((error: unknown) => {
        if (sqlState(error) === UNIQUE_VIOLATION) throw conflict(`A token named "${name}" already exists`, { field: 'name' });
        throw error;
      });
  }

  /** Revoked tokens stay listed (with revokedAt) and their names stay taken, so audit labels stay unambiguous. */
  async revoke(name: string, actor: Actor): Promise<ApiTokenInfo> {
    const revoked = await this.writer.write(actor, async (scope) => {
      const before = await this.tokens.get(name, scope.tx);
      if (!before) {
        const where = this.tokens.isConfigured(name) ? ' in the database (it is configured in the config file: remove it there)' : '';
        throw notFound(`No API token named "${name}"${where}`, { field: 'name' });
      }
      if (before.revokedAt !== null) return before;
      await this.tokens.revoke(name, scope.tx);
      const after = (await this.tokens.get(name, scope.tx))!;
      scope.record({ entityType: 'ApiToken', key: name, action: 'update', changes: { revokedAt: { old: null, new: after.revokedAt } } });
      return after;
    });
    this.tokens.forgetCached();
    return revoked;
  }
}
