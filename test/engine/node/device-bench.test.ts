import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceProfileProblem, ridgePoint, type DeviceProfile } from '../../../engine/core/hardware/index.js';
import { machineKey, measureThisMachine } from '../../../engine/node/device-bench.js';
import { defaultCacheDir, loadOrMeasureThisMachine, thisMachineCacheFile } from '../../../engine/node/device-cache.js';

// One thread: figures stay comparable while other test files run on the other cores.
const THREADS = 1;
const cacheDir = mkdtempSync(join(tmpdir(), 'whittle-device-cache-'));
const file = thisMachineCacheFile(cacheDir, THREADS);
let measurements = 0;
const load = (extra: { remeasure?: boolean } = {}) => loadOrMeasureThisMachine({ cacheDir, threads: THREADS, quick: true, onMeasure: () => measurements++, ...extra });

let first: DeviceProfile;
beforeAll(async () => {
  first = await load();
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('measureThisMachine (quick)', () => {
  it('returns a valid profile of plausible figures', () => {
    expect(deviceProfileProblem(first)).toBeUndefined();
    expect(first.id).toBe('this-machine');
    const fp32 = first.peakOpsPerSec.fp32!.value;
    const bandwidth = first.bandwidthBytesPerSec.value;
    expect(fp32).toBeGreaterThan(1e9);
    expect(fp32).toBeLessThan(10e12);
    expect(bandwidth).toBeGreaterThan(0.5e9);
    expect(bandwidth).toBeLessThan(500e9);
    expect(ridgePoint(first, 'fp32')).toBeGreaterThan(1);
    expect(first.peakOpsPerSec.fp32!.source).toMatch(/^measured: fp32 MatMul of \d+×\d+/);
    expect(first.bandwidthBytesPerSec.source).toMatch(/write-allocate not counted/);
  });

  it('records how it measured: threads, runs, versions, and the spread of every figure', () => {
    const m = first.measurement!;
    expect(m).toMatchObject(machineKey(THREADS));
    expect(m.runs).toBeGreaterThanOrEqual(3);
    const figures = [...Object.keys(first.peakOpsPerSec), 'bandwidth'];
    expect(Object.keys(m.spread).sort()).toEqual(figures.sort());
    expect(Object.keys(m.methods).sort()).toEqual(figures.sort());
    for (const s of Object.values(m.spread)) {
      expect(s.min).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.max);
      expect(s.cv).toBeGreaterThanOrEqual(0);
    }
    expect(m.spread.fp32!.median).toBe(first.peakOpsPerSec.fp32!.value);
  });

  it('either measures fp16 or says in the notes why not', () => {
    if (first.peakOpsPerSec.fp16 === undefined) expect(first.notes).toMatch(/No fp16 figure: /);
    else expect(first.peakOpsPerSec.fp16.source).toMatch(/^measured: fp16 MatMul/);
  });

  it('rejects at once when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(measureThisMachine({ quick: true, signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

describe('loadOrMeasureThisMachine', () => {
  it('wrote the profile to the cache file, atomically (no temp files left)', () => {
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
    expect(readdirSync(cacheDir)).toEqual([file.slice(cacheDir.length + 1)]);
    expect(measurements).toBe(1);
  });

  it('returns the cached profile on the next load without measuring', async () => {
    const again = await load();
    expect(again).toEqual(first);
    expect(measurements).toBe(1);
  });

  it('measures again when asked, and replaces the cache', async () => {
    const fresh = await load({ remeasure: true });
    expect(measurements).toBe(2);
    expect(fresh.measurement!.date > first.measurement!.date).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(fresh);
  });

  it('replaces a corrupt cache file with a fresh measurement', async () => {
    writeFileSync(file, '{"id": "this-machine", "peakOps');
    const before = measurements;
    const fresh = await load();
    expect(measurements).toBe(before + 1);
    expect(deviceProfileProblem(JSON.parse(readFileSync(file, 'utf8')))).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(fresh);
  });

  it('does not trust a profile measured under another onnxruntime version', async () => {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as DeviceProfile;
    writeFileSync(file, JSON.stringify({ ...cached, measurement: { ...cached.measurement, onnxruntimeVersion: '0.0.1' } }));
    const before = measurements;
    expect((await load()).measurement!.onnxruntimeVersion).toBe(machineKey().onnxruntimeVersion);
    expect(measurements).toBe(before + 1);
  });

  it('says which file it could not write and how to fix it, before spending time measuring', async () => {
    const blocked = join(cacheDir, 'blocked');
    writeFileSync(blocked, 'a file where a folder should be');
    const before = measurements;
    const loading = loadOrMeasureThisMachine({ cacheDir: join(blocked, 'sub'), threads: THREADS, quick: true, onMeasure: () => measurements++ });
    await expect(loading).rejects.toThrow(/could not save the measurement to .*blocked.*set WHITTLE_CACHE_DIR/);
    expect(measurements).toBe(before);
    rmSync(blocked);
  });
});

describe('defaultCacheDir', () => {
  it('prefers WHITTLE_CACHE_DIR, then XDG_CACHE_HOME/whittle, then ~/.cache/whittle', () => {
    expect(defaultCacheDir({ WHITTLE_CACHE_DIR: '/w', XDG_CACHE_HOME: '/x' })).toBe('/w');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'whittle'));
    expect(defaultCacheDir({})).toMatch(/[/\\]\.cache[/\\]whittle$/);
  });
});
