import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import { DomainError } from '../../errors';
import { SecureTransport } from './secure-transport';

export interface LdapConnectionOptions {
  /** The backend's config key, named in every BACKEND_UNAVAILABLE error. */
  readonly backendId: string;
  readonly url: string;
  readonly startTls: boolean;
  /**
   * CA and certificate checks (Params.TLS): for an ldaps:// URL the connection's, with StartTLS
   * the upgrade's only (given to ldapts's constructor for ldap:// it would speak TLS on the plain port).
   */
  readonly tls: ConnectionOptions | undefined;
  /** TCP connect, and the TLS handshake (ldaps://) or the whole StartTLS upgrade: each bounded by it. */
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
  transport: SecureTransport | null;
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
    this.slots = Array.from({ length: options.poolSize }, () => ({ client: null, transport: null }));
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
        throw this.unavailableOr(error, slot.transport, slot);
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
    const transport = this.newTransport();
    const client = transport.client(false);
    try {
      if (this.options.startTls) await transport.startTls();
      await client.bind(dn, password);
      return true;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return false;
      throw this.unavailableOr(error, transport);
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
    if (slot.client && slot.transport && !slot.transport.closed) return slot.client;
    await this.drop(slot);
    const transport = this.newTransport();
    // ldapts replays no bind after a StartTLS upgrade (it would go out before the new upgrade).
    const client = transport.client(!this.options.startTls);
    try {
      // The bind, the password with it, only ever goes out on the upgraded connection.
      if (this.options.startTls) await transport.startTls();
      const { bind } = this.options;
      if (bind) await client.bind(bind.dn, bind.password);
    } catch (error) {
      await client.unbind().catch(() => undefined);
      if (error instanceof InvalidCredentialsError) {
        throw this.unavailable('the directory refused the bind account (UserDN and its password)', 'BIND_REFUSED');
      }
      throw this.unavailableOr(error, transport);
    }
    slot.client = client;
    slot.transport = transport;
    return client;
  }

  private newTransport(): SecureTransport {
    const { url, startTls, tls, connectTimeoutMs, timeoutMs } = this.options;
    return new SecureTransport({ url, startTls, tls, connectTimeoutMs, timeoutMs });
  }

  private async drop(slot: Slot): Promise<void> {
    const { client, transport } = slot;
    slot.client = null;
    slot.transport = null;
    // A StartTLS connection that is gone: ldapts still thinks it open and would wait TimeoutMs for
    // an answer to the unbind; its sockets are closed already, there is nothing to free.
    if (transport?.lost) return;
    await client?.unbind().catch(() => undefined);
  }

  /**
   * A TLS failure (tls-failure.ts) or a transport failure as BACKEND_UNAVAILABLE (dropping the
   * slot's client); other errors unchanged.
   */
  private unavailableOr(error: unknown, transport: SecureTransport | null, slot?: Slot): unknown {
    const tlsFailure = transport?.failureOf(error) ?? null;
    if (!tlsFailure && !isTransportFailure(error)) return error;
    if (slot) void this.drop(slot);
    if (tlsFailure) return this.unavailable(tlsFailure.why, tlsFailure.reason);
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
