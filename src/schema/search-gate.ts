import { clientGone } from '../errors';

/**
 * At most `max` searches of this process run at once; the others wait their turn without holding
 * a database connection. Searches are the only requests whose cost grows with the table (a term of
 * one letter scans it), so without a gate ten of them fill the pool and every lookup and write
 * queues behind them; with it, the rest of the pool stays free for those.
 *
 * A search whose client goes away (its signal aborts) while it waits leaves the queue at once
 * with CLIENT_GONE; one that already runs is cancelled by the database layer (src/db/cancellable.ts).
 */
export class SearchGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(search: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.enter(signal);
    try {
      return await search();
    } finally {
      // The slot passes straight to the next waiter, so `running` only drops when nobody waits.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private async enter(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw clientGone();
    if (this.running < this.max) {
      this.running += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const admit = () => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        const at = this.waiting.indexOf(admit);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(clientGone());
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(admit);
    });
  }
}

/** Large searches running at once (each also takes one of the general slots). */
const LARGE_SEARCHES_AT_ONCE = 1;

/**
 * The searches' two gates. Every search takes one of the `maxConcurrent` general slots; a large one
 * (asking for more than `largeLimit` rows) first waits for the single large slot, and only then for
 * a general slot. Large pages are what cost: their SQL reads and sorts thousands of rows, and the
 * server builds and serialises the records on its one event loop. Ten at once (each within the
 * limits) pushed a simple read's p99 to 315 ms; one at a time, 30 ms (npm run bench:limits). Small searches never
 * wait behind large ones, since a large search waits for its turn without holding a general slot.
 */
export class SearchGates {
  private readonly all: SearchGate;
  private readonly large = new SearchGate(LARGE_SEARCHES_AT_ONCE);
  private readonly largeLimit: number;

  constructor(limits: { readonly maxConcurrentSearches: number; readonly largeSearchLimit: number }) {
    this.all = new SearchGate(limits.maxConcurrentSearches);
    this.largeLimit = limits.largeSearchLimit;
  }

  /** Runs `search`, which asks for `limit` rows, when its turn comes (CLIENT_GONE if the client leaves first). */
  run<T>(limit: number, search: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (limit <= this.largeLimit) return this.all.run(search, signal);
    return this.large.run(() => this.all.run(search, signal), signal);
  }
}
