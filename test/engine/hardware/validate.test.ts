import { describe, expect, it } from 'vitest';
import { deviceProfileProblem, type DeviceProfile } from '../../../engine/core/hardware/index.js';

const good: DeviceProfile = {
  id: 'good-device',
  name: 'Good device',
  kind: 'gpu',
  peakOpsPerSec: { fp32: { value: 1e12, source: 'datasheet' } },
  bandwidthBytesPerSec: { value: 1e11, source: 'datasheet' },
};

const measurement = {
  date: '2026-01-02T03:04:05.000Z',
  threads: 2,
  onnxruntimeVersion: '1.30.0',
  cpuModel: 'Some CPU',
  cores: 2,
  runs: 5,
  methods: { fp32: 'MatMul' },
  spread: { fp32: { median: 1, min: 0.5, max: 2, cv: 0.1 } },
};

describe('deviceProfileProblem', () => {
  it('accepts a valid profile, with or without a measurement', () => {
    expect(deviceProfileProblem(good)).toBeUndefined();
    expect(deviceProfileProblem({ ...good, notes: 'n', measurement })).toBeUndefined();
  });

  it.each([
    ['not an object', null, /must be an object/],
    ['an id that is not kebab-case', { ...good, id: 'Bad_Id' }, /kebab-case/],
    ['an unknown kind', { ...good, kind: 'fpga' }, /kind must be one of/],
    ['no peaks at all', { ...good, peakOpsPerSec: {} }, /at least one figure/],
    ['an unknown element type', { ...good, peakOpsPerSec: { fp8: { value: 1, source: 's' } } }, /unknown element type "fp8"/],
    ['a zero peak', { ...good, peakOpsPerSec: { fp32: { value: 0, source: 's' } } }, /peakOpsPerSec.fp32.value must be a positive/],
    ['an infinite bandwidth', { ...good, bandwidthBytesPerSec: { value: Infinity, source: 's' } }, /bandwidthBytesPerSec.value/],
    ['a figure without a source', { ...good, bandwidthBytesPerSec: { value: 1, source: ' ' } }, /must say where the figure comes from/],
    ['a measurement without a date', { ...good, measurement: { ...measurement, date: 'yesterday' } }, /measurement.date/],
    ['a measurement with 0 threads', { ...good, measurement: { ...measurement, threads: 0 } }, /measurement.threads/],
    ['a spread with NaN', { ...good, measurement: { ...measurement, spread: { fp32: { median: NaN, min: 0, max: 0, cv: 0 } } } }, /spread.fp32.median/],
  ])('names the problem with %s', (_what, value, problem) => {
    expect(deviceProfileProblem(value)).toMatch(problem);
  });
});
