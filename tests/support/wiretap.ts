import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that forwards to a target and records every byte either way: what an
 * eavesdropper on the wire would see. Tests point a backend at `url` and assert that a secret
 * never appears in `bytes()` (as it does, for contrast, on a plain LDAP bind).
 */
export interface Wiretap {
  /** `ldap://127.0.0.1:<port>` (the scheme the test's backend should use is its own choice). */
  readonly port: number;
  /** All bytes client → server and server → client so far, in arrival order. */
  bytes(): Buffer;
  /** Whether `text` (UTF-8) occurs anywhere in the recorded traffic. */
  saw(text: string): boolean;
  /** Connections accepted so far. */
  connections(): number;
  /** Cuts every open connection (both sides), as a network failure would; new ones are still accepted. */
  cut(): void;
  /** Stops passing the server's answers on (they are kept): a server that hangs, seen from the client. */
  hold(): void;
  /** Passes on what was held, and everything after it. */
  release(): void;
  close(): Promise<void>;
}

export async function startWiretap(targetPort: number, targetHost = '127.0.0.1'): Promise<Wiretap> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let held: { client: Socket; data: Buffer }[] | null = null;
  const server: Server = createServer((client) => {
    accepted += 1;
    const upstream = createConnection({ host: targetHost, port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (data: Buffer) => {
      chunks.push(Buffer.from(data));
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      chunks.push(Buffer.from(data));
      if (held) held.push({ client, data });
      else client.write(data);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    bytes: () => Buffer.concat(chunks),
    saw: (text) => Buffer.concat(chunks).includes(Buffer.from(text, 'utf8')),
    connections: () => accepted,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    hold: () => {
      held ??= [];
    },
    release: () => {
      const pending = held ?? [];
      held = null;
      for (const { client, data } of pending) if (!client.destroyed) client.write(data);
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A TCP server that accepts connections and never answers: a directory (or TLS peer) that hangs. */
export async function startSilentServer(): Promise<{ readonly port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
