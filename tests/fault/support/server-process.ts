import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const FAULT_ADMIN_TOKEN = 'fault-admin-token-0123456789abcdef';
const ROOT = resolve(__dirname, '../../..');

export interface ServerOptions {
  readonly port: number;
  /** PostgreSQL URL; the server's own config otherwise (PGlite). */
  readonly databaseUrl?: string;
  /** Extra environment, e.g. CONFIG__server__shutdownGraceMs. */
  readonly env?: Record<string, string>;
  /** The command to run; defaults to the server itself in one node process. */
  readonly command?: readonly string[];
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The real server as a child process (node with tsx as loader), as an operator runs it. */
export class ServerProcess {
  private static readonly started = new Set<ServerProcess>();
  readonly lines: string[] = [];
  private child!: ChildProcess;
  private exit!: Promise<Exit>;

  constructor(readonly options: ServerOptions) {
    this.spawn();
    ServerProcess.started.add(this);
  }

  private spawn(): void {
    const { options } = this;
    const [command, ...args] = options.command ?? [process.execPath, '--import', 'tsx', 'src/main.ts'];
    const child = spawn(command!, args, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HOST: '127.0.0.1',
        PORT: String(options.port),
        LOG_LEVEL: 'info',
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        CONFIG__auth__tokens: JSON.stringify([{ name: 'fault-admin', token: FAULT_ADMIN_TOKEN, role: 'admin' }]),
        CONFIG__passwords__bcryptCost: '4',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (buffered + chunk).split('\n');
        buffered = parts.pop()!;
        this.lines.push(...parts.map(readableLine).filter((line) => line !== ''));
      });
    }
    this.child = child;
    this.exit = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  }

  get exited(): Promise<Exit> {
    return this.exit;
  }

  /**
   * Waits until the process listens (/health), then until `path` answers `status`. A process that
   * shows no sign of life at all (no output, not listening) within 45 s is started once more,
   * loudly: in whole-suite runs on a loaded machine, `node --import tsx` was twice seen to stall
   * before running a line of ours (cause unknown), while a new start right after worked.
   */
  async waitUntil(path: string, status: number): Promise<void> {
    const alive = () => poll(async () => ((await this.status('/health')) === 200 ? true : undefined), 45_000, '');
    try {
      await alive();
    } catch {
      if (this.lines.length > 0 || this.child.exitCode !== null) throw new Error(`/health never answered 200; log:\n${this.lines.join('\n')}`);
      console.warn(`server on port ${this.options.port} (pid ${this.child.pid}, ${processState(this.child.pid)}) silent for 45 s: starting it once more`);
      this.child.kill('SIGKILL');
      await this.exit;
      this.spawn();
    }
    await this.waitForStatus(path, status);
  }

  /** Kills every server a test file started and has not stopped (afterAll). */
  static async stopAll(): Promise<void> {
    await Promise.all([...ServerProcess.started].map((server) => server.stop()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Polls until a log line matches (the log is JSON lines; messages are compared). */
  async waitForLine(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    return poll(() => this.lines.find((line) => pattern.test(line)), timeoutMs, `no log line ${pattern} in:\n${this.lines.join('\n')}`);
  }

  async status(path: string): Promise<number | null> {
    return fetch(this.baseUrl + path, { signal: AbortSignal.timeout(5000) }).then(
      (response) => response.status,
      () => null,
    );
  }

  async waitForStatus(path: string, status: number, timeoutMs = 90_000): Promise<void> {
    await poll(async () => ((await this.status(path)) === status ? true : undefined), timeoutMs, `${path} never answered ${status}; log:\n${this.lines.join('\n')}`);
  }

  /** A GraphQL request as a client sends it; never throws (a network failure is status 0). */
  async graphql(query: string, variables?: Record<string, unknown>, timeoutMs = 10_000): Promise<GraphQLAnswer> {
    const started = Date.now();
    try {
      const response = await fetch(`${this.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${FAULT_ADMIN_TOKEN}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await response.json()) as Omit<GraphQLAnswer, 'status' | 'ms'>;
      return { status: response.status, ms: Date.now() - started, ...body };
    } catch (error) {
      return { status: 0, ms: Date.now() - started, errors: [{ message: String(error) }] };
    }
  }

  async stop(): Promise<Exit> {
    ServerProcess.started.delete(this);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exit;
  }
}

export interface GraphQLAnswer {
  readonly status: number;
  readonly ms: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/** The process's scheduler state and kernel wait channel, for the record of a stalled start. */
function processState(pid: number | undefined): string {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2];
    return `state ${state}, waiting in ${readFileSync(`/proc/${pid}/wchan`, 'utf8') || 'nothing'}`;
  } catch {
    return 'gone';
  }
}

/** A pino JSON line as its message (with the level), other lines as they are. */
function readableLine(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: string; level?: number };
    return parsed.msg === undefined ? line : `[${parsed.level}] ${parsed.msg}`;
  } catch {
    return line;
  }
}

export async function poll<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, failure: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((r) => setTimeout(r, 100));
  }
}
