import { ConfigError } from '../../src/config/issues';
import type { RecordPage, RecordQuery } from '../../src/records/types';
import { startTestApp, testConfig, type TestApp } from '../support/test-app';

/**
 * limits.largeSearchLimit: searches asking for more rows run one at a time (src/schema/search-gate.ts),
 * while small searches keep their own turns. Observed through the API, with the customer-user
 * service's search held open by the test so that overlaps are certain.
 */
describe('the large-search gate', () => {
  let app: TestApp;
  const events: string[] = [];
  const held = new Map<number, () => void>();

  beforeAll(async () => {
    app = await startTestApp({ overrides: { limits: { largeSearchLimit: 10 } } });
    await app.ok(`mutation { createCustomer(input: { customerId: "acme", name: "Acme" }) { customerId } }`);
    await app.ok(`mutation { createCustomerUser(input: { login: "jdoe", firstName: "John", lastName: "Doe", email: "jdoe@acme.test", customerId: "acme" }) { customerUser { login } } }`);
    const service = app.app.services.customerUsers;
    const search = service.search.bind(service);
    // A search with a limit listed in `held` waits until the test lets it go on.
    service.search = async (query: RecordQuery, report?: Parameters<typeof search>[1]): Promise<RecordPage> => {
      events.push(`start ${query.limit}`);
      const wait = new Promise<void>((resolve) => (held.has(query.limit) ? held.set(query.limit, resolve) : resolve()));
      await wait;
      const page = await search(query, report);
      events.push(`end ${query.limit}`);
      return page;
    };
  });
  afterAll(() => app?.close());

  const until = async (condition: () => boolean) => {
    for (let i = 0; !condition(); i += 1) {
      if (i > 200) throw new Error(`timed out; events: ${events.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const search = (limit: number) => app.ok<{ customerUsers: { nodes: { login: string }[] } }, never>(`{ customerUsers(search: "jdoe", limit: ${limit}) { nodes { login } } }`);

  it('runs two overlapping large searches one after the other, while small ones pass beside them', async () => {
    held.set(50, () => undefined).set(60, () => undefined);
    const first = search(50);
    await until(() => events.includes('start 50'));
    const second = search(60);
    // Small searches (at and below the limit) are not queued behind the waiting large one.
    const small = await Promise.all([search(5), search(10)]);
    for (const answer of small) expect(answer.customerUsers.nodes).toEqual([{ login: 'jdoe' }]);
    expect(events).not.toContain('start 60');
    held.get(50)!();
    expect((await first).customerUsers.nodes).toEqual([{ login: 'jdoe' }]);
    await until(() => events.includes('start 60'));
    held.get(60)!();
    expect((await second).customerUsers.nodes).toEqual([{ login: 'jdoe' }]);
    expect(events.indexOf('start 60')).toBeGreaterThan(events.indexOf('end 50'));
    expect(events.indexOf('end 5')).toBeLessThan(events.indexOf('end 50'));
    expect(events.indexOf('end 10')).toBeLessThan(events.indexOf('end 50'));
  });

  it('is a validated limits key: a bad value stops the start with one line naming it', () => {
    expect(testConfig().limits.largeSearchLimit).toBe(1000);
    for (const [value, message] of [
      [0, 'must be positive'],
      [2.5, 'must be a whole number'],
      ['1000', 'must be a number'],
    ] as const) {
      let error: unknown;
      try {
        testConfig({ limits: { largeSearchLimit: value } });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(`Invalid configuration:\n  limits.largeSearchLimit: ${message}`);
    }
  });
});
