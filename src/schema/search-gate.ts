/**
 * At most `max` searches of this process run at once; the others wait their turn without holding
 * a database connection. Searches are the only requests whose cost grows with the table (a term of
 * one letter scans it), so without a gate ten of them fill the pool and every lookup and write
 * queues behind them; with it, the rest of the pool stays free for those.
 */
export class SearchGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(search: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await search();
    } finally {
      // The slot passes straight to the next waiter, so `running` only drops when nobody waits.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
