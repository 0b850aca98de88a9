import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { devicesCommand, formatDevices } from '../../cli/devices.js';
import { DEVICE_CATALOG, findDevice, type DeviceProfile } from '../../engine/core/hardware/index.js';
import { machineKey } from '../../engine/node/device-bench.js';
import { thisMachineCacheFile } from '../../engine/node/device-cache.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'whittle-cli-devices-'));
const previous = process.env.WHITTLE_CACHE_DIR;
afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  if (previous === undefined) delete process.env.WHITTLE_CACHE_DIR;
  else process.env.WHITTLE_CACHE_DIR = previous;
});
afterEach(() => vi.restoreAllMocks());

/** A cached "this machine" profile, so the command reads it instead of measuring. */
const cached: DeviceProfile = {
  id: 'this-machine',
  name: 'This machine (test CPU, 1 thread)',
  kind: 'cpu',
  peakOpsPerSec: { fp32: { value: 300e9, source: 'measured: test' } },
  bandwidthBytesPerSec: { value: 60e9, source: 'measured: test' },
  notes: 'No fp16 figure: test.',
  measurement: { date: '2026-01-02T03:04:05.000Z', runs: 5, methods: { fp32: 'test', bandwidth: 'test' }, spread: {}, ...machineKey(1) },
};

function capture(stream: NodeJS.WriteStream): () => string {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  return () => text;
}

describe('formatDevices', () => {
  it('shows peaks with their units, bandwidth and ridge points per element type', () => {
    const text = formatDevices([findDevice('a100-sxm4-80gb')!, findDevice('coral-edge-tpu')!, findDevice('jetson-nano')!]);
    expect(text).toMatch(/a100-sxm4-80gb +NVIDIA A100 SXM4 80GB +gpu +19\.5 TFLOP\/s +312 TFLOP\/s +624 TOPS +2039 GB\/s +9\.56 \/ 153 \/ 306/);
    expect(text).toMatch(/coral-edge-tpu .* npu +– +– +4\.00 TOPS +0\.50 GB\/s +– \/ – \/ 8000/);
    expect(text).toMatch(/jetson-nano .* 236 GFLOP\/s +472 GFLOP\/s +– +25\.6 GB\/s +9\.22 \/ 18\.4 \/ –/);
  });
});

describe('devicesCommand', () => {
  it('lists the catalog and the cached machine as JSON, without measuring', async () => {
    process.env.WHITTLE_CACHE_DIR = cacheDir;
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(thisMachineCacheFile(cacheDir, 1), JSON.stringify(cached));
    const stdout = capture(process.stdout);
    const stderr = capture(process.stderr);
    expect(await devicesCommand(['--json', '--threads', '1'])).toBe(0);
    expect(JSON.parse(stdout())).toEqual([...DEVICE_CATALOG, cached]);
    expect(stderr()).toBe('');
  });

  it('prints a table with when and how this machine was measured', async () => {
    process.env.WHITTLE_CACHE_DIR = cacheDir;
    const stdout = capture(process.stdout);
    expect(await devicesCommand(['--threads', '1'])).toBe(0);
    expect(stdout()).toMatch(/this-machine +This machine \(test CPU, 1 thread\) +cpu +300 GFLOP\/s/);
    expect(stdout()).toMatch(/this-machine: measured 2026-01-02T03:04:05.000Z with 1 thread on onnxruntime .*whittle devices --measure/);
  });

  it('refuses a thread count that is not a positive whole number (exit 2)', async () => {
    const stderr = capture(process.stderr);
    expect(await devicesCommand(['--threads', '0'])).toBe(2);
    expect(stderr()).toBe('whittle devices: --threads must be a whole number from 1 to 1024, not "0"\n');
  });
});
