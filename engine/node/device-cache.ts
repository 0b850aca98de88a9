/**
 * Keeps the measured "this machine" profile between runs: one JSON file per machine, thread
 * count and onnxruntime version, since a measurement holds only for those.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { deviceProfileProblem, type DeviceProfile } from '../core/hardware/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { machineKey, measureThisMachine, type MachineKey, type MeasureOptions } from './device-bench.js';

export interface LoadOptions extends MeasureOptions {
  /** Where profiles are kept; default {@link defaultCacheDir}. */
  readonly cacheDir?: string;
  /** Measure even when a valid cached profile exists, and replace it. */
  readonly remeasure?: boolean;
  /** Called just before a measurement starts (to tell the user it takes a few seconds). */
  readonly onMeasure?: () => void;
}

/** `$WHITTLE_CACHE_DIR`, else `$XDG_CACHE_HOME/whittle`, else `~/.cache/whittle`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WHITTLE_CACHE_DIR) return env.WHITTLE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'whittle');
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

function fileFor(cacheDir: string, key: MachineKey): string {
  return join(cacheDir, `this-machine-${slug(key.cpuModel)}-${key.cores}c-${key.threads}t-ort${slug(key.onnxruntimeVersion)}.json`);
}

/** The file that holds (or would hold) this machine's profile for `threads`. */
export function thisMachineCacheFile(cacheDir: string = defaultCacheDir(), threads?: number): string {
  return fileFor(cacheDir, machineKey(threads));
}

/** The cached profile if the file holds a valid one measured under `key`; undefined otherwise. */
async function readCached(file: string, key: MachineKey): Promise<DeviceProfile | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined; // missing, unreadable or not JSON: measure again
  }
  if (deviceProfileProblem(json) !== undefined) return undefined;
  const m = (json as DeviceProfile).measurement;
  const same = m !== undefined && m.cpuModel === key.cpuModel && m.cores === key.cores && m.threads === key.threads && m.onnxruntimeVersion === key.onnxruntimeVersion;
  return same ? (json as DeviceProfile) : undefined;
}

/** This machine's cached profile for the default thread count, or null when it was never measured here. */
export async function cachedThisMachine(cacheDir: string = defaultCacheDir()): Promise<DeviceProfile | null> {
  const key = machineKey();
  return (await readCached(fileFor(cacheDir, key), key)) ?? null;
}

/**
 * This machine's profile from the cache, or measured (and cached) when there is none, it is
 * invalid, it was measured under other conditions, or `remeasure` is set. The file is written
 * atomically. A cache folder that cannot be created or written is an error naming the file,
 * raised before measuring when the folder itself is the problem.
 */
export async function loadOrMeasureThisMachine(options: LoadOptions = {}): Promise<DeviceProfile> {
  const key = machineKey(options.threads);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const file = fileFor(cacheDir, key);
  if (!options.remeasure) {
    const cached = await readCached(file, key);
    if (cached !== undefined) return cached;
  }
  const saving = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new Error(`could not save the measurement to ${file} (${reason}); set WHITTLE_CACHE_DIR to a writable folder`);
    }
  };
  await saving(() => mkdir(cacheDir, { recursive: true }));
  options.onMeasure?.();
  const profile = await measureThisMachine({ threads: key.threads, quick: options.quick, signal: options.signal });
  await saving(() => writeFileAtomic(file, `${JSON.stringify(profile, null, 2)}\n`));
  return profile;
}
