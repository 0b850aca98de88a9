/**
 * One writer at a time per workspace. Inside a process, writers wait in a queue per folder;
 * between processes (the workbench and a `whittle` command on the same model), the writer holds
 * a lock file created with O_EXCL. A lock whose process has died (killed, crashed, power cut) is
 * stale and is broken by the next writer, so a kill never leaves the workspace locked for good.
 * Readers take no lock: every file is replaced by an atomic rename, so they see old or new.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkspaceError } from './workspace-error.js';

/** Whoever holds the lock, as written in the lock file. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  /** Tells this holding apart from another by a process that got the same pid. */
  readonly token: string;
  readonly since: string;
}

/**
 * A lock file that stays unreadable this long is held by nobody: locks are linked into place
 * complete, so only a damaged file or one from an older Whittle (which created the lock, then
 * wrote into it) can be unreadable.
 */
const UNREADABLE_STALE_MS = 10_000;
const MAX_POLL_MS = 200;

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` while holding `lockFile`: after every earlier call for the same file in this
 * process, and while no other process holds it. Waits up to `timeoutMs` for another process,
 * then throws a {@link WorkspaceError} `locked`.
 */
export function withLock<T>(lockFile: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(lockFile) ?? Promise.resolve();
  const run = previous.then(async () => {
    const release = await acquire(lockFile, timeoutMs);
    try {
      return await work();
    } finally {
      await release();
    }
  });
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(lockFile, settled);
  void settled.then(() => {
    if (queues.get(lockFile) === settled) queues.delete(lockFile);
  });
  return run;
}

async function acquire(lockFile: string, timeoutMs: number): Promise<() => Promise<void>> {
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  for (let pollMs = 5; ; pollMs = Math.min(2 * pollMs, MAX_POLL_MS)) {
    if (await tryCreate(lockFile, me)) return () => release(lockFile, me.token);
    const text = await readFile(lockFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (text === null) continue; // released between our attempt and the read
    const holder = parseHolder(text);
    if (await isStale(lockFile, holder)) {
      await breakLock(lockFile, text);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(lockFile, holder);
    await sleep(pollMs);
  }
}

function lockedError(lockFile: string, holder: Holder | null): WorkspaceError {
  const who = holder === null ? 'Another Whittle process' : `Whittle process ${holder.pid} on ${holder.host} (since ${holder.since})`;
  return new WorkspaceError('locked', lockFile, `${who} is changing this workspace; try again when it has finished. If no Whittle is running, delete ${lockFile}.`);
}

/**
 * Takes the lock if nobody holds it. The holder is written to a temp file first and linked into
 * place (which fails if the lock exists), so a lock file is never seen empty: a writer killed
 * between creating the lock and filling it used to block every other one for UNREADABLE_STALE_MS.
 */
async function tryCreate(lockFile: string, me: Holder): Promise<boolean> {
  const temp = join(dirname(lockFile), `.${basename(lockFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, JSON.stringify(me), { flag: 'wx', mode: 0o644 });
  try {
    await link(temp, lockFile);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOENT: a writer holding the lock cleared our temp file as a leftover; try again.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    throw err;
  } finally {
    await rm(temp, { force: true });
  }
}

function parseHolder(text: string): Holder | null {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return Number.isSafeInteger(h.pid) && typeof h.host === 'string' && typeof h.token === 'string' ? (h as Holder) : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, run by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockFile: string, holder: Holder | null): Promise<boolean> {
  if (holder === null) {
    const info = await stat(lockFile).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > UNREADABLE_STALE_MS;
  }
  // A process on another machine (a shared folder) cannot be checked: it holds the lock until it lets go.
  if (holder.host !== hostname()) return false;
  // Our own pid, but not a holding of ours (the queue lets one at a time through): a dead process had this pid before.
  if (holder.pid === process.pid) return true;
  return !processAlive(holder.pid);
}

/**
 * Removes a stale lock whose content was `text`. Two writers may find the same stale lock; if
 * both simply deleted it, the slower one could delete the lock the faster one just took. So the
 * lock is first renamed aside (atomic: exactly one writer gets that file) and deleted only if it
 * is still the stale one; a fresh lock moved aside by mistake is put back.
 */
async function breakLock(lockFile: string, text: string): Promise<void> {
  const aside = `${lockFile}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lockFile, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const taken = await readFile(aside, 'utf8').catch(() => null);
  if (taken !== null && taken !== text) await rename(aside, lockFile);
  else await rm(aside, { force: true });
}

async function release(lockFile: string, token: string): Promise<void> {
  const holder = parseHolder(await readFile(lockFile, 'utf8').catch(() => ''));
  // Not ours any more only if another process judged us dead; then the lock is theirs to remove.
  if (holder?.token === token) await rm(lockFile, { force: true });
}
