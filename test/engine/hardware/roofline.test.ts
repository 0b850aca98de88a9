import { describe, expect, it } from 'vitest';
import { attainableOpsPerSec, peakFor, placeOnRoofline, ridgePoint, type DeviceProfile } from '../../../engine/core/hardware/index.js';

// 1 TFLOP/s fp32, 4 TOP/s int8, no fp16 figure, 100 GB/s: every expected value below is worked out by hand.
const device: DeviceProfile = {
  id: 'test-device',
  name: 'Test device',
  kind: 'cpu',
  peakOpsPerSec: { fp32: { value: 1e12, source: 'test' }, int8: { value: 4e12, source: 'test' } },
  bandwidthBytesPerSec: { value: 100e9, source: 'test' },
};

const npu: DeviceProfile = { ...device, id: 'test-npu', name: 'Test NPU', kind: 'npu', peakOpsPerSec: { int8: { value: 4e12, source: 'test' } } };

describe('ridgePoint', () => {
  it('is peak ÷ bandwidth: 1e12 / 1e11 = 10 FLOP/B for fp32, 4e12 / 1e11 = 40 OP/B for int8', () => {
    expect(ridgePoint(device, 'fp32')).toBe(10);
    expect(ridgePoint(device, 'int8')).toBe(40);
  });

  it('uses the fp32 peak when the device has none for the element type', () => {
    expect(ridgePoint(device, 'fp16')).toBe(10);
  });

  it('refuses, naming what the device has, when there is neither the element type nor fp32', () => {
    expect(() => ridgePoint(npu, 'fp16')).toThrow(/Test NPU has no fp16 or fp32 peak figure \(known: int8\)/);
  });
});

describe('attainableOpsPerSec', () => {
  it('is intensity × bandwidth below the ridge: 2.25 FLOP/B × 100 GB/s = 225 GFLOP/s', () => {
    expect(attainableOpsPerSec(device, 'fp32', 2.25)).toBeCloseTo(225e9, 0);
  });

  it('is the peak at and above the ridge, and for unbounded intensity', () => {
    expect(attainableOpsPerSec(device, 'fp32', 10)).toBe(1e12);
    expect(attainableOpsPerSec(device, 'fp32', 84)).toBe(1e12);
    expect(attainableOpsPerSec(device, 'fp32', Infinity)).toBe(1e12);
    expect(attainableOpsPerSec(device, 'int8', 80)).toBe(4e12);
  });

  it('is 0 at intensity 0 and refuses negative or NaN intensity', () => {
    expect(attainableOpsPerSec(device, 'fp32', 0)).toBe(0);
    expect(() => attainableOpsPerSec(device, 'fp32', -1)).toThrow(RangeError);
    expect(() => attainableOpsPerSec(device, 'fp32', NaN)).toThrow(RangeError);
  });
});

describe('placeOnRoofline', () => {
  it('a depthwise-like layer (2.25 FLOP/B) is memory-bound: 2.25 GFLOP at 225 GFLOP/s = 10 ms', () => {
    const p = placeOnRoofline({ ops: 2.25e9, bytes: 1e9 }, device, 'fp32');
    expect(p.intensity).toBe(2.25);
    expect(p.attainableOpsPerSec).toBeCloseTo(225e9, 0);
    expect(p.bound).toBe('memory');
    expect(p.predictedMs).toBeCloseTo(10, 9);
    expect(p.dtypeUsed).toBe('fp32');
  });

  it('a 3×3 conv-like layer (84 FLOP/B) is compute-bound: 84 GFLOP at 1 TFLOP/s = 84 ms', () => {
    const p = placeOnRoofline({ ops: 84e9, bytes: 1e9 }, device, 'fp32');
    expect(p).toEqual({ intensity: 84, attainableOpsPerSec: 1e12, bound: 'compute', predictedMs: 84, dtypeUsed: 'fp32' });
  });

  it('work exactly at the ridge counts as compute-bound', () => {
    const p = placeOnRoofline({ ops: 10e9, bytes: 1e9 }, device, 'fp32');
    expect(p.bound).toBe('compute');
    expect(p.predictedMs).toBeCloseTo(10, 9);
  });

  it('predicted time is ops ÷ attainable whenever both are positive', () => {
    for (const [ops, bytes] of [
      [1e6, 3e6],
      [7e9, 2e8],
      [123456789, 98765],
    ] as const) {
      const p = placeOnRoofline({ ops, bytes }, device, 'fp32');
      expect(p.predictedMs).toBeCloseTo((ops / p.attainableOpsPerSec) * 1000, 9);
    }
  });

  it('int8 work uses the int8 peak: 8 GOP over 0.1 GB (80 OP/B > ridge 40) takes 8e9 / 4e12 = 2 ms', () => {
    const p = placeOnRoofline({ ops: 8e9, bytes: 1e8 }, device, 'int8');
    expect(p).toEqual({ intensity: 80, attainableOpsPerSec: 4e12, bound: 'compute', predictedMs: 2, dtypeUsed: 'int8' });
  });

  it('says when it fell back to the fp32 peak', () => {
    const p = placeOnRoofline({ ops: 1e9, bytes: 1e9 }, device, 'fp16');
    expect(p.dtypeUsed).toBe('fp32');
    expect(p.predictedMs).toBeCloseTo(10, 9);
    expect(peakFor(device, 'fp16')).toEqual({ figure: device.peakOpsPerSec.fp32, dtypeUsed: 'fp32' });
    expect(peakFor(npu, 'fp32')).toBeUndefined();
  });

  it('work that moves no bytes is compute-bound with unbounded (null) intensity: 5 GFLOP = 5 ms', () => {
    expect(placeOnRoofline({ ops: 5e9, bytes: 0 }, device, 'fp32')).toEqual({ intensity: null, attainableOpsPerSec: 1e12, bound: 'compute', predictedMs: 5, dtypeUsed: 'fp32' });
  });

  it('pure data movement is memory-bound, timed by bandwidth: 2 GB at 100 GB/s = 20 ms', () => {
    expect(placeOnRoofline({ ops: 0, bytes: 2e9 }, device, 'fp32')).toEqual({ intensity: 0, attainableOpsPerSec: 0, bound: 'memory', predictedMs: 20, dtypeUsed: 'fp32' });
  });

  it('no work takes no time', () => {
    expect(placeOnRoofline({ ops: 0, bytes: 0 }, device, 'fp32').predictedMs).toBe(0);
  });

  it('refuses negative and non-finite amounts with a message naming them', () => {
    expect(() => placeOnRoofline({ ops: -1, bytes: 1 }, device, 'fp32')).toThrow(/ops must be a finite number ≥ 0, not -1/);
    expect(() => placeOnRoofline({ ops: 1, bytes: Infinity }, device, 'fp32')).toThrow(/bytes must be/);
    expect(() => placeOnRoofline({ ops: NaN, bytes: 1 }, device, 'fp32')).toThrow(RangeError);
  });

  it('results survive JSON (no Infinity or NaN)', () => {
    const p = placeOnRoofline({ ops: 5e9, bytes: 0 }, device, 'fp32');
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});
