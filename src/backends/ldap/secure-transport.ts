import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { Client } from 'ldapts';
import { classifyTlsFailure, tlsTimeout, type TlsFailure } from './tls-failure';

export interface SecureTransportOptions {
  readonly url: string;
  readonly startTls: boolean;
  /** Params.TLS as Node options (CA, rejectUnauthorized); the host name checks are added here. */
  readonly tls: ConnectionOptions | undefined;
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
}

/**
 * One ldapts client's sockets, watched so that a failure to secure the connection is told apart
 * from a directory that is down, and so that it can never end in clear text:
 *
 * - ldaps://: ldapts opens the TLS socket with the TLS options and bounds connect + handshake by
 *   its connectTimeout (ConnectTimeoutMs). A failure after the TCP connect is a TLS failure.
 * - ldap:// with StartTLS: the TLS options go to the upgrade only (ldapts takes constructor
 *   `tlsOptions` as "speak TLS on this port"). The whole upgrade (TCP connect, extended operation,
 *   handshake) is bounded by ConnectTimeoutMs. After it, ldapts may not open a plain connection
 *   again (its transparent reconnect would be unencrypted): that attempt fails instead.
 *
 * The certificate is checked against the configured Host: `host` for the name check, and
 * `servername` (SNI) unless the host is an IP address (RFC 6066 forbids IPs there).
 */
export class SecureTransport {
  private readonly hostname: string;
  private readonly ldaps: boolean;
  private raw: Socket | null = null;
  private secure: TLSSocket | null = null;
  private tcpConnected = false;
  private secured = false;
  private upgradeStarted = false;
  private recorded: TlsFailure | null = null;
  private clientInstance: Client | null = null;
  private dropped = false;

  constructor(private readonly options: SecureTransportOptions) {
    const url = new URL(options.url);
    this.hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.ldaps = url.protocol.toLowerCase() === 'ldaps:';
  }

  /** A new client on this transport (one per transport). */
  client(autoRebind: boolean): Client {
    const { url, connectTimeoutMs, timeoutMs } = this.options;
    this.clientInstance = new Client({
      url,
      connectTimeout: connectTimeoutMs,
      timeout: timeoutMs,
      autoRebind,
      ...(this.ldaps ? { tlsOptions: this.tlsOptions() } : {}),
      createConnection: ((port: number, host: string) => this.openPlain(port, host)) as typeof netConnect,
      createSecureConnection: ((...args: Parameters<typeof tlsConnect>) => this.openSecure(args)) as typeof tlsConnect,
    });
    return this.clientInstance;
  }

  /**
   * StartTLS on the client's plain connection, bounded by ConnectTimeoutMs. Rejects with the
   * underlying error; `failureOf` classifies it.
   */
  async startTls(): Promise<void> {
    const client = this.clientInstance;
    if (!client) throw new Error('no client');
    this.upgradeStarted = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (this.tcpConnected) this.recorded ??= tlsTimeout('starttls', this.options.connectTimeoutMs);
        this.destroy();
        reject(new Error('Connection timeout'));
      }, this.options.connectTimeoutMs);
    });
    const upgrade = client.startTLS(this.tlsOptions());
    upgrade.catch(() => undefined); // the loser of the race
    try {
      await Promise.race([upgrade, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the connection is gone (ldapts's own isConnected misses a StartTLS connection's end). */
  get closed(): boolean {
    return this.dropped || !(this.clientInstance?.isConnected ?? false);
  }

  /** Whether an upgraded (StartTLS) connection ended: its sockets are closed. */
  get lost(): boolean {
    return this.dropped;
  }

  /** The TLS failure behind `error`, if securing the connection is what failed; null otherwise. */
  failureOf(error: unknown): TlsFailure | null {
    if (this.recorded) return this.recorded;
    if (this.options.startTls) {
      if (!this.upgradeStarted || !this.tcpConnected || this.secured) return null;
      // The upgrade was under way: the server refused or broke off the StartTLS request, or the handshake failed.
      return classifyTlsFailure(error, this.secure ? 'handshake' : 'starttls', this.hostname);
    }
    if (this.ldaps && this.tcpConnected && !this.secured) {
      const { message } = (error ?? {}) as { message?: unknown };
      this.recorded =
        message === 'Connection timeout' ? tlsTimeout('handshake', this.options.connectTimeoutMs) : classifyTlsFailure(error, 'handshake', this.hostname);
      return this.recorded;
    }
    return null;
  }

  private tlsOptions(): ConnectionOptions {
    return { ...this.options.tls, host: this.hostname, ...(isIP(this.hostname) ? {} : { servername: this.hostname }) };
  }

  private openPlain(port: number, host: string): Socket {
    if (this.options.startTls && this.raw) {
      // ldapts reconnecting after the StartTLS connection dropped: that socket would be clear text.
      // (The pool opens a new transport, with StartTLS, for the next operation.)
      throw new Error('Connection lost: no clear-text reconnect after StartTLS');
    }
    const socket = netConnect(port, host);
    this.watch(socket);
    return socket;
  }

  private openSecure(args: Parameters<typeof tlsConnect>): TLSSocket {
    if (this.ldaps && this.raw) {
      // A reconnect of ldaps://: start over with the watch.
      this.tcpConnected = false;
      this.secured = false;
      this.recorded = null;
    }
    const socket = (tlsConnect as (...a: unknown[]) => TLSSocket)(...args);
    this.secure = socket;
    if (this.ldaps) this.watch(socket);
    else this.tcpConnected = true; // StartTLS: over the connected plain socket
    socket.once('secureConnect', () => {
      this.secured = true;
    });
    if (!this.ldaps) {
      // ldapts watches only the plain socket for 'close', so after StartTLS it never notices the
      // connection dropping (isConnected stays true). Mark it, and close the plain socket, which
      // makes ldapts fail the operations still waiting on it.
      socket.once('close', () => {
        this.dropped = true;
        this.raw?.destroy();
      });
    }
    return socket;
  }

  private watch(socket: Socket): void {
    this.raw = socket;
    socket.once('connect', () => {
      this.tcpConnected = true;
    });
  }

  private destroy(): void {
    this.secure?.destroy();
    this.raw?.destroy();
  }
}
