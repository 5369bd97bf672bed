import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The groups and services tables are shared by requests for `database.catalogCacheMs`
 * (src/relations/catalog-cache.ts): our own writes are seen at once, a change made directly in
 * the tables (OTOBO's admin screens) after at most that long.
 */
type Names = { groups: { name: string }[]; services: { name: string }[] };
const CATALOG = `{ groups { name } services { name } }`;

async function catalogNames(app: TestApp): Promise<{ groups: string[]; services: string[] }> {
  const result = await app.ok<Names, unknown>(CATALOG);
  return { groups: result.groups.map((g) => g.name), services: result.services.map((s) => s.name) };
}

/** An app with this catalogCacheMs and one service, "Hardware", for the duration of `use`. */
async function withApp(catalogCacheMs: number, use: (app: TestApp, database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const app = await startTestApp({ database, overrides: { database: { catalogCacheMs } } });
  try {
    await app.ok(`mutation { createService(input: { name: "Hardware" }) { id } }`);
    await use(app, database);
  } finally {
    await app.close();
    await database.dispose();
  }
}

/** What OTOBO's admin screens do: change the tables directly, past this server. */
async function renameOutside(database: TestDatabase): Promise<void> {
  await database.database.db.execute(sql`UPDATE groups_table SET name = 'users-renamed' WHERE name = 'users'`);
  await database.database.db.execute(sql`UPDATE service SET name = 'Hardware-renamed' WHERE name = 'Hardware'`);
}

describe('the groups and services tables shared by requests', () => {
  it('keep what was read for catalogCacheMs, and forget it when this server writes either table', () =>
    withApp(60_000, async (app, database) => {
      expect(await catalogNames(app)).toMatchObject({ groups: expect.arrayContaining(['users']), services: ['Hardware'] });
      await renameOutside(database);
      const shared = await catalogNames(app);
      expect(shared.groups).toContain('users');
      expect(shared.services).toEqual(['Hardware']);

      await app.ok(`mutation { createGroup(input: { name: "fresh" }) { id } }`);
      const afterGroupWrite = await catalogNames(app);
      expect(afterGroupWrite.groups).toEqual(expect.arrayContaining(['fresh', 'users-renamed']));
      expect(afterGroupWrite.groups).not.toContain('users');
      expect(afterGroupWrite.services).toEqual(['Hardware']); // only the groups were forgotten

      await app.ok(`mutation { createService(input: { name: "Software" }) { id } }`);
      expect((await catalogNames(app)).services).toEqual(['Hardware-renamed', 'Software']);
    }));

  it('with catalogCacheMs 0, are read by every request', () =>
    withApp(0, async (app, database) => {
      expect((await catalogNames(app)).services).toEqual(['Hardware']);
      await renameOutside(database);
      const names = await catalogNames(app);
      expect(names.groups).toContain('users-renamed');
      expect(names.services).toEqual(['Hardware-renamed']);
    }));

  it('are seen fresh after catalogCacheMs', () =>
    withApp(300, async (app, database) => {
      expect((await catalogNames(app)).services).toEqual(['Hardware']);
      await renameOutside(database);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await catalogNames(app)).services).toEqual(['Hardware-renamed']);
    }));
});
