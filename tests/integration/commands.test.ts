import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** A project command as `npm run` starts it (node with tsx), without opening any database. */
function command(file: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 });
}

describe('every command answers --help before it opens or starts anything', () => {
  const commands: [string, RegExp][] = [
    ['src/main.ts', /PORT|DATABASE_URL/],
    ['src/cli/create-token.ts', /--name <name>/],
    ['src/cli/print-schema.ts', /--local \| --config <file>/],
    ['src/cli/add-map-columns.ts', /add-map-columns/],
    ['src/cli/create-indexes.ts', /--print/],
    ['tests/bench/cli.ts', /--users N/],
  ];
  it.each(commands)('%s', async (file, usage) => {
    // An unreachable database: a command that tried to open it would fail instead of answering.
    const { stdout } = await command(file, ['--help'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(stdout).toMatch(usage);
  });
});

describe('npm run schema:print', () => {
  it('prints the schema of a given configuration, with its admin-added fields', async () => {
    const defaults = JSON.parse(readFileSync(join(root, 'config', 'defaults.json'), 'utf8')) as { CustomerUser: { Map: unknown[] } };
    const file = join(mkdtempSync(join(tmpdir(), 'cug-schema-')), 'local.json');
    writeFileSync(file, JSON.stringify({ CustomerUser: { Map: [...defaults.CustomerUser.Map, ['UserRoom', 'Room', 'room', 1, 0, 'var', '', 0, null, null]] } }));
    const { stdout } = await command('src/cli/print-schema.ts', ['--config', file]);
    const userType = /type CustomerUser \{[^}]*\}/.exec(stdout)?.[0] ?? '';
    expect(userType).toMatch(/\n  room: String\n/);
    expect(readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8')).not.toMatch(/\n  room: String\n/);
  });
});
