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
});
