import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { busy } from '../errors';
import type { HashTask } from './hash-worker';
import { checkHashInput } from './otobo-bcrypt';

export interface HashPoolSettings {
  /** Worker threads; 0 means one per core but one (at least one). */
  readonly threads: number;
  /** Tasks that may wait for a thread; one more is refused with BUSY instead of piling up. */
  readonly queue: number;
}

/** Source runs (tsx, Jest) need the TypeScript loader; the compiled build has hash-worker.js. */
const WORKER_FILE = join(__dirname, __filename.endsWith('.ts') ? 'hash-worker-from-source.cjs' : 'hash-worker.js');

/** Piscina's refusals of a task when every thread is busy and the queue is full. */
const QUEUE_FULL = new Set(['Task queue is at limit', 'No task queue available and all Workers are busy']);

/**
 * Password hashing and verification on a bounded pool of worker threads (bcrypt at cost 12 costs
 * ~250 ms of CPU, which on the event loop would stall every other request). The threads start
 * with the first task, so an app that never hashes starts none.
 */
export class PasswordHasher {
  private pool: Piscina<HashTask, string | boolean> | null = null;
  private closed = false;

  constructor(private readonly settings: HashPoolSettings) {}

  /** OTOBO's `BCRYPT:cost:salt:hash`; a RangeError for bad input (see hashPassword). */
  async hash(password: string, cost: number): Promise<string> {
    checkHashInput(password, cost);
    return (await this.run({ op: 'hash', password, cost })) as string;
  }

  /** Whether a password matches a stored hash of any format OTOBO writes (see verifyPassword). */
  async verify(password: string, stored: string | null | undefined): Promise<boolean> {
    if (password === '' || !stored) return false;
    return (await this.run({ op: 'verify', password, stored })) as boolean;
  }

  /** Tasks finished so far (tests use it to prove which writes paid for a hash). */
  get completed(): number {
    return this.pool?.completed ?? 0;
  }

  /** Lets running and queued tasks finish, then ends the threads. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.close();
  }

  private async run(task: HashTask): Promise<string | boolean> {
    if (this.closed) throw new Error('The password hashing pool is closed');
    this.pool ??= this.createPool();
    try {
      return await this.pool.run(task);
    } catch (error) {
      if (error instanceof Error && QUEUE_FULL.has(error.message)) throw busy('Too many passwords are being hashed; retry shortly');
      throw error;
    }
  }

  private createPool(): Piscina<HashTask, string | boolean> {
    const threads = this.settings.threads > 0 ? this.settings.threads : Math.max(1, availableParallelism() - 1);
    return new Piscina({ filename: WORKER_FILE, minThreads: threads, maxThreads: threads, maxQueue: this.settings.queue });
  }
}
