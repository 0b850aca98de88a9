import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files are named `.NAME.PID.RANDOM.tmp`: hidden, and never mistaken for the file they will become. */
export const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/**
 * Replaces `path` with `data` so that readers see the old file or the new one, never half of
 * one: writes a temp file in the same folder, fsyncs it, then renames it over `path`. The temp
 * file is removed if anything fails.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomicWith(path, (handle) => handle.writeFile(data));
}

/**
 * {@link writeFileAtomic} for content too large to hold in memory at once: `write` fills the
 * open temp file (sequentially or at positions), then it is fsynced and renamed over `path`.
 * The temp file is opened with O_EXCL, so it never follows a link planted under its name, and the
 * rename replaces a link at `path` rather than writing through it.
 */
export async function writeFileAtomicWith(path: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncDirectory(dirname(path));
}

/** Errors of file systems that cannot fsync a directory; their renames are as durable as they get. */
const NO_DIRECTORY_SYNC = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EBADF']);

/**
 * Makes the names in `dir` durable. A rename (or a new file) changes the folder, not the file,
 * and on Linux the folder has its own dirty buffers: without this, a power cut right after the
 * rename can bring back the old name, or lose a new one, even though the file's data was synced.
 * Windows cannot open a folder for fsync (NTFS journals renames itself), so there it is skipped.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    if (!NO_DIRECTORY_SYNC.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close();
  }
}
