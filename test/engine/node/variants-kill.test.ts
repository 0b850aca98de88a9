/**
 * Kill safety: a child process changes the workspace in a loop and is SIGKILLed at a different
 * moment each time. After every kill the manifest must read and validate, and every file it lists
 * must be whole (SHA-256 and size as recorded) and open as a model; the next writer must get
 * past the dead writer's lock.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeModel } from '../../../engine/core/onnx/index.js';
import { TEMP_FILE } from '../../../engine/node/atomic-write.js';
import { openModelFile } from '../../../engine/node/model-file.js';
import { addVariant, readManifest } from '../../../engine/node/variants.js';
import { ORIGINAL } from '../../../engine/protocol/variants.js';
import { PROJECT_ROOT } from '../../support/corpus.js';
import { variantModel } from '../../support/variant-model.js';

const WRITER = resolve(PROJECT_ROOT, 'test/support/variants-writer.ts');
const KILLS = 12;

let dir: string;
let model: string;
let sha256: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'whittle-kill-'));
  model = join(dir, 'model.onnx');
  const bytes = encodeModel(variantModel(0));
  await writeFile(model, bytes);
  sha256 = createHash('sha256').update(bytes).digest('hex');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

interface Writer {
  /** Kills it and returns the ids of the variants it reported added. */
  kill(): Promise<string[]>;
}

/** Starts the writer and returns once it is ready to write. */
async function startWriter(args: readonly string[]): Promise<Writer> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  const deadline = Date.now() + 30_000;
  while (!out.includes('ready\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the writer did not start: ${err}`);
    await sleep(5);
  }
  return {
    async kill() {
      child.kill('SIGKILL');
      // Killed, not failed: a writer that threw (a refused manifest, a lock timeout) would have exited on its own.
      expect(await exited, err).toBe('SIGKILL');
      return out
        .split('\n')
        .filter((l) => l.startsWith('added '))
        .map((l) => l.slice('added '.length));
    },
  };
}

/** What a reader finds after the kill: a valid manifest whose every file is whole. */
async function checkWorkspace(ws: string): Promise<{ listed: number; unlisted: string[] }> {
  const manifest = await readManifest(ws);
  const listed = new Set<string>();
  for (const v of manifest.variants) {
    for (const stored of [v, v.externalData]) {
      if (stored === null) continue;
      const path = join(ws, stored.file);
      expect(TEMP_FILE.test(stored.file.split('/').pop()!)).toBe(false);
      expect((await lstat(path)).isFile()).toBe(true);
      expect((await lstat(path)).size, stored.file).toBe(stored.sizeBytes);
      expect(await sha256Of(path), stored.file).toBe(stored.sha256);
      listed.add(stored.file);
    }
    await openModelFile(join(ws, v.file));
  }
  // A writer killed before it made the folder leaves none.
  const names = await readdir(join(ws, 'variants')).catch((): string[] => []);
  const unlisted = names.filter((name) => !listed.has(`variants/${name}`));
  return { listed: manifest.variants.length, unlisted };
}

it(`survives ${KILLS} SIGKILLs at random moments of writing`, { timeout: 180_000 }, async () => {
  const ws = join(dir, 'model.whittle');

  let added = 0;
  let midWrite = 0;
  let inLock = 0;
  let kills = 0;
  // On a loaded machine start-up takes more of each life: kill on until enough kills landed in the lock.
  for (let k = 0; k < KILLS || (inLock < KILLS / 3 && k < 3 * KILLS); k++) {
    kills++;
    // Delays spread over 0–660 ms, in a scrambled order.
    const writer = await startWriter([ws, model, sha256, String(k)]);
    await sleep(((k * 7) % KILLS) * 60);
    added += (await writer.kill()).length;
    const { unlisted } = await checkWorkspace(ws);
    // Files nobody lists are what kills mid-write leave: temp files, or a variant whose manifest update never came.
    for (const name of unlisted) expect(name).toMatch(/^(\.v\d+-[a-z]+\.onnx(\.data)?\.\d+\.[0-9a-f]{8}\.tmp|v\d+-[a-z]+\.onnx(\.data)?)$/);
    if (unlisted.some((name) => TEMP_FILE.test(name))) midWrite++;
    if ((await readdir(ws).catch((): string[] => [])).includes('variants.json.lock')) inLock++;
  }
  console.info(`${kills} kills: ${added} variants added in all; ${inLock} kills inside the lock, ${midWrite} in the middle of writing a file`);
  // How many depends on the machine and its load; some must land, or the kills tested nothing but start-up.
  expect(added).toBeGreaterThan(0);
  // The writer holds the lock nearly all the time, so kills must land there; the test would prove nothing otherwise.
  expect(inLock).toBeGreaterThanOrEqual(KILLS / 3);

  // The last dead writer's lock is broken, its temp files cleared; the original is untouched.
  const next = await addVariant(ws, { original: { path: model, sha256 }, parent: ORIGINAL, transform: { id: 'optimize', settings: {} }, model: variantModel(99) }, { lockTimeoutMs: 15_000 });
  expect((await readManifest(ws)).variants.at(-1)).toEqual(next);
  const { unlisted } = await checkWorkspace(ws);
  expect(unlisted.filter((name) => TEMP_FILE.test(name))).toEqual([]);
  expect(await readdir(ws)).not.toContain('variants.json.lock');
  expect(await sha256Of(model)).toBe(sha256);
});

it('loses no update when two processes write at once', { timeout: 60_000 }, async () => {
  const ws = join(dir, 'together.whittle');
  const writers = await Promise.all(['1', '2'].map((seed) => startWriter([ws, model, sha256, seed, 'keep'])));
  await sleep(1500);
  const reported = (await Promise.all(writers.map((w) => w.kill()))).flat();
  const { listed } = await checkWorkspace(ws);
  const ids = (await readManifest(ws)).variants.map((v) => v.id);
  // Every addition a writer saw succeed is in the manifest, under an id nobody else got.
  expect(new Set(reported).size).toBe(reported.length);
  expect(ids).toEqual(expect.arrayContaining(reported));
  expect(listed).toBeGreaterThanOrEqual(reported.length);
  console.info(`two writers at once: ${reported.length} additions reported, ${listed} listed`);
});
