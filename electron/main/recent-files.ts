import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';

/** How many models File › Open Recent lists. */
export const MAX_RECENT = 10;

/** `path` first, without duplicates, at most {@link MAX_RECENT}. */
export function withRecent(list: readonly string[], path: string): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, MAX_RECENT);
}

/** The saved list; an absent, unreadable or malformed file is an empty list (it is only a convenience). */
export async function loadRecent(file: string): Promise<string[]> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!Array.isArray(value)) return [];
    return value.filter((p): p is string => typeof p === 'string' && isAbsolute(p)).slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

/** Replaces the saved list atomically: a crash mid-write leaves the old list. */
export async function saveRecent(file: string, list: readonly string[]): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(list, null, 2)}\n`, { flush: true });
  await rename(temp, file);
}
