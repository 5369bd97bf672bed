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
  /** Connections, each serving one operation at a time. */
  readonly poolSize: number;
  /** The bind account; null binds anonymously. */
  readonly bind: { readonly dn: string; readonly password: string } | null;
}

/** Server answers that mean "not now" rather than "no": busy (51), unavailable (52). */
const UNAVAILABLE_RESULT_CODES = new Set([51, 52]);

/** A pooled connection: its client, opened on first use and again whenever found disconnected. */
interface Slot {
  client: Client | null;
}

/**
 * A small pool of bound clients, each leased to one operation at a time: slapd keeps one
 * paged-results state per connection, so two paged searches on one connection invalidate each
 * other's cookies ("paged results cookie is invalid or old"). A client is opened on first use and
 * opened afresh whenever found disconnected, so a directory that was down works again without a
 * restart. Reopening ourselves, instead of relying on ldapts's transparent reconnect, keeps
 * StartTLS and the bind identity on every new connection (ldapts replays neither after a StartTLS
 * upgrade; `autoRebind` still covers a drop mid-operation on plain ones).
 */
export class LdapConnection {
  private readonly slots: readonly Slot[];
  private readonly idle: Slot[];
  private readonly waiting: ((slot: Slot) => void)[] = [];

  constructor(private readonly options: LdapConnectionOptions) {
    this.slots = Array.from({ length: options.poolSize }, () => ({ client: null }));
    this.idle = [...this.slots];
  }

  /** Runs `operation` on a bound client of its own; transport failures become BACKEND_UNAVAILABLE. */
  async run<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    const slot = await this.lease();
    try {
      const client = await this.bound(slot);
      try {
        return await operation(client);
      } catch (error) {
        throw this.unavailableOr(error, slot);
      }
    } finally {
      this.release(slot);
    }
  }

  /**
   * Whether `dn` binds with `password`, on a connection of its own (the pooled ones keep the
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
    await Promise.all(this.slots.map((slot) => this.drop(slot)));
  }

  private lease(): Promise<Slot> {
    const slot = this.idle.pop();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  private async bound(slot: Slot): Promise<Client> {
    if (slot.client?.isConnected) return slot.client;
    await this.drop(slot);
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
    slot.client = client;
    return client;
  }

  private newClient(autoRebind: boolean): Client {
    const { url, tls, connectTimeoutMs, timeoutMs } = this.options;
    return new Client({ url, tlsOptions: tls, connectTimeout: connectTimeoutMs, timeout: timeoutMs, autoRebind });
  }

  private async drop(slot: Slot): Promise<void> {
    const { client } = slot;
    slot.client = null;
    await client?.unbind().catch(() => undefined);
  }

  /** A transport failure as BACKEND_UNAVAILABLE (dropping the slot's client); other errors unchanged. */
  private unavailableOr(error: unknown, slot?: Slot): unknown {
    if (!isTransportFailure(error)) return error;
    if (slot) void this.drop(slot);
    return this.unavailable(`the directory did not answer (${String((error as { message?: unknown }).message)})`);
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
  if (error instanceof DomainError) return false; // decided already (its `code` is ours, not a socket's)
  if (error instanceof ResultCodeError) return UNAVAILABLE_RESULT_CODES.has(error.code);
  // Duck-typed: socket errors come from Node's own realm, which `instanceof Error` misses under Jest.
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === 'string' || (typeof message === 'string' && /timed? ?out|connection|socket/i.test(message));
}
