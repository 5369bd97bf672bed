import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * PGlite is PostgreSQL in one process without postmaster's lock: two processes on one data folder
 * each believe they own it and corrupt it. This lock file makes the second one stop instead.
 */
export const LOCK_FILE = 'otobo-graphql.lock';

export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
  readonly command: string;
}

/** Another live process holds the folder; the message is the one line to show. */
export class FolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
    /** What to do instead, for the command that was refused. */
    hint?: string,
  ) {
    super(
      `The PGlite data folder ${folder} is in use by process ${holder.pid} (${holder.command}, started ${holder.startedAt}); ` +
        `PGlite allows one process per folder: stop that process first${hint ? `. ${hint}` : ''}`,
    );
    this.name = 'FolderInUseError';
  }
}

/** Folders this process holds, with their holder records: a second open in-process is refused too. */
const heldHere = new Map<string, LockHolder>();

export interface FolderLock {
  /** Removes the lock file if it is still ours (idempotent; also runs at process exit). */
  release(): void;
}

/**
 * Takes the folder's lock (creating the folder), or throws FolderInUseError naming the holder.
 * A lock left by a process that no longer runs is taken over.
 */
export function lockDataFolder(dir: string): FolderLock {
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const ownHolder = heldHere.get(folder);
  if (ownHolder) throw new FolderInUseError(folder, ownHolder);
  const file = join(folder, LOCK_FILE);
  const nonce = randomBytes(8).toString('hex');
  const holder = { pid: process.pid, startedAt: new Date().toISOString(), command: process.argv.slice(1).join(' ').slice(0, 200), nonce };
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file, JSON.stringify(holder))) break;
    const current = readHolder(file);
    if (current && isAlive(current.pid)) throw new FolderInUseError(folder, current);
    if (attempt > 0) throw new Error(`Could not take over the stale lock ${file}; remove it if no process uses the folder`);
    // Renamed away rather than deleted: of two processes taking over at once, only one succeeds.
    try {
      renameSync(file, `${file}.stale-${nonce}`);
      unlinkSync(`${file}.stale-${nonce}`);
    } catch {
      // The other one did; the next attempt sees its lock.
    }
  }
  heldHere.set(folder, holder);
  const release = () => {
    process.removeListener('exit', release);
    if (heldHere.get(folder) === holder) heldHere.delete(folder);
    if (readHolder(file)?.nonce === nonce) unlinkSync(file);
  };
  process.on('exit', release);
  return { release };
}

function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The lock's holder; null for a missing, empty or garbled file (a crash while writing it). */
function readHolder(file: string): (LockHolder & { nonce?: string }) | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as LockHolder & { nonce?: string };
    return Number.isInteger(parsed.pid) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Whether a process with this pid runs. Our own pid counts as dead: this process holds no lock on
 * the folder (see heldHere), so the file was left by an earlier run (containers reuse pid 1).
 */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
