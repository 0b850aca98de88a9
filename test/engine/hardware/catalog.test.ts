import { describe, expect, it } from 'vitest';
import { COMPUTE_DTYPES, DEVICE_CATALOG, deviceProfileProblem, findDevice, ridgePoint } from '../../../engine/core/hardware/index.js';

describe('DEVICE_CATALOG', () => {
  it('holds only valid profiles: positive finite figures, each with a source', () => {
    for (const d of DEVICE_CATALOG) {
      expect(deviceProfileProblem(d), d.id).toBeUndefined();
      for (const f of [...Object.values(d.peakOpsPerSec), d.bandwidthBytesPerSec]) {
        expect(Number.isFinite(f!.value) && f!.value > 0, d.id).toBe(true);
        expect(f!.source.trim().length, d.id).toBeGreaterThan(10);
        expect(f!.source, d.id).not.toMatch(/^measured/);
      }
    }
  });

  it('has unique kebab-case ids, none of them the measured "this-machine"', () => {
    const ids = DEVICE_CATALOG.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(ids).not.toContain('this-machine');
  });

  it('covers server and desktop CPUs, GPUs, Jetsons, the Raspberry Pi 5, a phone SoC and NPUs', () => {
    for (const id of ['xeon-platinum-8380', 'ryzen-9-7950x', 'apple-m1', 'a100-sxm4-80gb', 'rtx-4090', 't4', 'jetson-agx-orin-64gb', 'jetson-orin-nano-8gb', 'jetson-nano', 'rpi5', 'snapdragon-8-gen-3', 'hailo-8', 'coral-edge-tpu', 'rk3588-npu']) {
      expect(findDevice(id), id).toBeDefined();
    }
    expect(findDevice('no-such-device')).toBeUndefined();
  });

  it('says "derived" wherever a CPU peak is computed from cores × clock × FLOP per cycle', () => {
    for (const d of DEVICE_CATALOG.filter((d) => d.kind === 'cpu')) {
      expect(d.peakOpsPerSec.fp32!.source, d.id).toMatch(/^derived: .*cores × .*GHz.*FLOP\/cycle/);
    }
  });

  it('has ridge points in plausible ranges: 1–10,000 op/B overall, 2–50 FLOP/B for CPU fp32', () => {
    for (const d of DEVICE_CATALOG) {
      for (const dtype of COMPUTE_DTYPES) {
        if (d.peakOpsPerSec[dtype] === undefined) continue;
        const ridge = ridgePoint(d, dtype);
        expect(ridge, `${d.id} ${dtype}`).toBeGreaterThan(1);
        expect(ridge, `${d.id} ${dtype}`).toBeLessThan(10_000);
      }
      if (d.kind === 'cpu') {
        expect(ridgePoint(d, 'fp32'), d.id).toBeGreaterThan(2);
        expect(ridgePoint(d, 'fp32'), d.id).toBeLessThan(50);
      }
    }
  });

  it('keeps lower precisions at least as fast as fp32 where both are listed', () => {
    for (const d of DEVICE_CATALOG) {
      const fp32 = d.peakOpsPerSec.fp32?.value;
      if (fp32 === undefined) continue;
      for (const dtype of ['fp16', 'int8'] as const) {
        const v = d.peakOpsPerSec[dtype]?.value;
        if (v !== undefined) expect(v, `${d.id} ${dtype}`).toBeGreaterThanOrEqual(fp32);
      }
    }
  });

  it('matches hand-worked values of a few entries', () => {
    // A100: 19.5 TFLOP/s ÷ 2039 GB/s; Pi 5: 4 × 2.4 GHz × 16 and 4267 MT/s × 4 B; Hailo-8: PCIe Gen3 x4.
    expect(ridgePoint(findDevice('a100-sxm4-80gb')!, 'fp32')).toBeCloseTo(9.5635, 3);
    expect(ridgePoint(findDevice('t4')!, 'int8')).toBeCloseTo(406.25, 6);
    expect(findDevice('rpi5')!.peakOpsPerSec.fp32!.value).toBeCloseTo(153.6e9, 0);
    expect(findDevice('rpi5')!.bandwidthBytesPerSec.value).toBeCloseTo(17.068e9, 0);
    expect(findDevice('hailo-8')!.bandwidthBytesPerSec.value).toBeCloseTo(3.938e9, -6);
  });
});
