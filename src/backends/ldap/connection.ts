import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import { DomainError } from '../../errors';

export interface LdapConnectionOptions {
  /** The backend's config key, named in every BACKEND_UNAVAILABLE error. */
  readonly backendId: string;
  readonly url: string;
  readonly startTls: boolean;
  readonly tls: ConnectionOptions | undefined;
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  /** The bind account; null binds anonymously. */
  readonly bind: { readonly dn: string; readonly password: string } | null;
}

/** Server answers that mean "not now" rather than "no": busy (51), unavailable (52). */
const UNAVAILABLE_RESULT_CODES = new Set([51, 52]);

/**
 * One bound client shared by all requests (LDAP multiplexes operations on a connection). It is
 * opened on first use and opened afresh whenever it is found disconnected, so a directory that
 * was down works again without a restart. Reopening ourselves, instead of relying on ldapts's
 * transparent reconnect, keeps StartTLS and the bind identity on every new connection (ldapts
 * replays neither after a StartTLS upgrade; `autoRebind` still covers a drop mid-call on plain ones).
 */
export class LdapConnection {
  private client: Client | null = null;
  private opening: Promise<Client> | null = null;

  constructor(private readonly options: LdapConnectionOptions) {}

  /** Runs `operation` on the bound client; transport failures become BACKEND_UNAVAILABLE. */
  async run<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.bound();
    try {
      return await operation(client);
    } catch (error) {
      throw this.unavailableOr(error, client);
    }
  }

  /**
   * Whether `dn` binds with `password`, on a connection of its own (the shared one keeps the
   * service identity). Wrong password or unknown DN: false; no answer: BACKEND_UNAVAILABLE.
   */
  async binds(dn: string, password: string): Promise<boolean> {
    const client = this.newClient(false);
    try {
      if (this.options.startTls) await client.startTLS(this.options.tls);
      await client.bind(dn, password);
      return true;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return false;
      throw this.unavailableOr(error);
    } finally {
      await client.unbind().catch(() => undefined); // a failed bind still holds its socket
    }
  }

  async close(): Promise<void> {
    const client = this.client ?? (await this.opening?.catch(() => null));
    this.client = null;
    await client?.unbind().catch(() => undefined);
  }

  private async bound(): Promise<Client> {
    if (this.client?.isConnected) return this.client;
    // Concurrent callers share one attempt instead of opening a connection each.
    this.opening ??= this.open().finally(() => (this.opening = null));
    return this.opening;
  }

  private async open(): Promise<Client> {
    if (this.client) await this.drop(this.client);
    const client = this.newClient(!this.options.startTls);
    try {
      if (this.options.startTls) await client.startTLS(this.options.tls);
      const { bind } = this.options;
      if (bind) await client.bind(bind.dn, bind.password);
    } catch (error) {
      await client.unbind().catch(() => undefined);
      if (error instanceof InvalidCredentialsError) {
        throw this.unavailable('the directory refused the bind account (UserDN and its password)', 'BIND_REFUSED');
      }
      throw this.unavailableOr(error);
    }
    this.client = client;
    return client;
  }

  private newClient(autoRebind: boolean): Client {
    const { url, tls, connectTimeoutMs, timeoutMs } = this.options;
    return new Client({ url, tlsOptions: tls, connectTimeout: connectTimeoutMs, timeout: timeoutMs, autoRebind });
  }

  private async drop(client: Client): Promise<void> {
    if (this.client === client) this.client = null;
    await client.unbind().catch(() => undefined);
  }

  /** A transport failure as BACKEND_UNAVAILABLE (dropping the client it happened on); other errors unchanged. */
  private unavailableOr(error: unknown, client?: Client): unknown {
    if (!isTransportFailure(error)) return error;
    if (client) void this.drop(client);
    return this.unavailable(`the directory did not answer (${(error as Error).message})`);
  }

  private unavailable(why: string, reason?: string): DomainError {
    return backendUnavailable(this.options.backendId, why, reason);
  }
}

export function backendUnavailable(backendId: string, why: string, reason?: string): DomainError {
  return new DomainError('BACKEND_UNAVAILABLE', `Customer-user backend "${backendId}" is unavailable: ${why}`, {
    backend: backendId,
    ...(reason ? { reason } : {}),
  });
}

/**
 * ldapts reports a server's answer as a ResultCodeError; everything it reports otherwise is the
 * connection failing: socket errors (`code` ECONNREFUSED, ECONNRESET, TLS codes …), "Operation
 * timed out", "Connection timeout", "Connection closed before message response …".
 */
export function isTransportFailure(error: unknown): boolean {
  if (error instanceof ResultCodeError) return UNAVAILABLE_RESULT_CODES.has(error.code);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || /timed? ?out|connection|socket/i.test(error.message);
}
