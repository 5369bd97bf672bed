import { SearchGate } from '../../src/schema/search-gate';

/** A search that finishes when told to. */
function controllable() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

describe('SearchGate', () => {
  test('runs at most `max` at once; the others start in arrival order as slots free up', async () => {
    const gate = new SearchGate(2);
    const started: number[] = [];
    const searches = Array.from({ length: 4 }, () => controllable());
    const results = searches.map((s, i) =>
      gate.run(async () => {
        started.push(i);
        await s.done;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    searches[1]!.finish();
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    searches[0]!.finish();
    searches[2]!.finish();
    searches[3]!.finish();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  test('a failing search frees its slot', async () => {
    const gate = new SearchGate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve('next'))).toBe('next');
  });

  test('a waiting search whose client goes away leaves the queue with CLIENT_GONE; the slot order is kept', async () => {
    const gate = new SearchGate(1);
    const first = controllable();
    const running = gate.run(() => first.done);
    const gone = new AbortController();
    const abandoned = gate.run(() => Promise.resolve('never'), gone.signal);
    const next = gate.run(() => Promise.resolve('next'));
    gone.abort();
    await expect(abandoned).rejects.toMatchObject({ extensions: { code: 'CLIENT_GONE' } });
    first.finish();
    await running;
    expect(await next).toBe('next');
    await expect(gate.run(() => Promise.resolve('x'), AbortSignal.abort())).rejects.toMatchObject({ extensions: { code: 'CLIENT_GONE' } });
    expect(await gate.run(() => Promise.resolve('free'))).toBe('free');
  });
});
