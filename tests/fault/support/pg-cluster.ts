import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

/** PostgreSQL refuses to run as root: as root, its commands run as the postgres user. */
const asRoot = process.getuid?.() === 0;
function pgCommand(binary: string, args: readonly string[]): [string, string[]] {
  const path = join(BIN, binary);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, [...args]];
}

/**
 * A PostgreSQL 15 cluster of a test's own: its own data folder, socket folder and port (fault tests
 * use 55400-55499), trust authentication (but for roles added with addPasswordRole), started and
 * stopped by the test.
 */
export class ThrowawayCluster {
  private constructor(
    readonly port: number,
    private readonly root: string,
  ) {}

  static async create(port: number): Promise<ThrowawayCluster> {
    const root = mkdtempSync(join(tmpdir(), 'cug-fault-pg-'));
    for (const dir of ['', 'data', 'sock']) {
      mkdirSync(join(root, dir), { recursive: true });
      if (asRoot) chownSync(join(root, dir), ...postgresIds());
    }
    const cluster = new ThrowawayCluster(port, root);
    await run(...pgCommand('initdb', ['-D', join(root, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']));
    return cluster;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${join(this.root, 'sock')} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await run(...pgCommand('pg_ctl', ['-D', join(this.root, 'data'), '-l', join(this.root, 'data', 'pg.log'), '-o', options, '-w', 'start']));
  }

  /** `pg_ctl stop -m fast`: sessions are terminated (57P01), as in a restart by an operator. */
  async stop(): Promise<void> {
    await run(...pgCommand('pg_ctl', ['-D', join(this.root, 'data'), '-m', 'fast', '-w', 'stop']));
  }

  /**
   * A login role that must authenticate with its password over scram-sha-256 (every other role keeps
   * trust). Call it on a started cluster: pg_hba.conf is rewritten and reloaded.
   */
  async addPasswordRole(name: string, password: string): Promise<void> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name) || password.includes("'")) throw new Error('a plain role name and a password without quotes, please');
    this.passwordRoles.push(name);
    await this.psql(`SET password_encryption = 'scram-sha-256'; CREATE ROLE ${name} LOGIN SUPERUSER PASSWORD '${password}'`);
    const rules = [
      ...this.passwordRoles.map((role) => `host all ${role} 127.0.0.1/32 scram-sha-256`),
      'local all all trust',
      'host all all 127.0.0.1/32 trust',
      'host all all ::1/128 trust',
    ];
    const hba = join(this.root, 'data', 'pg_hba.conf');
    writeFileSync(hba, `${rules.join('\n')}\n`); // the first matching line decides
    if (asRoot) chownSync(hba, ...postgresIds());
    await this.psql('SELECT pg_reload_conf()');
  }

  private readonly passwordRoles: string[] = [];

  async psql(sql: string, database = 'postgres'): Promise<string> {
    const { stdout } = await run(join(BIN, 'psql'), ['-X', '-At', '-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-c', sql]);
    return stdout.trim();
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.root, { recursive: true, force: true });
  }
}

function postgresIds(): [number, number] {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return [id('-u'), id('-g')];
}
