import { describe, expect, it } from 'vitest';
import type { DeviceProfile } from '../../../engine/core/hardware/device.js';
import { DEVICE_CATALOG } from '../../../engine/core/hardware/index.js';
import { deviceDetails, deviceGroups, deviceSummary, THIS_MACHINE } from '../../../renderer/src/features/devices/device-options.js';

const TOY: DeviceProfile = {
  id: 'toy',
  name: 'Toy CPU',
  kind: 'cpu',
  peakOpsPerSec: { fp32: { value: 100e9, source: 'datasheet' } },
  bandwidthBytesPerSec: { value: 50e9, source: 'measured: triad' },
};
const NPU: DeviceProfile = { id: 'npu', name: 'Toy NPU', kind: 'npu', peakOpsPerSec: { int8: { value: 26e12, source: 'x' } }, bandwidthBytesPerSec: { value: 4e9, source: 'x' } };

describe('device picker options', () => {
  it('offers this machine first, to be measured until it has been', () => {
    const [here, ...rest] = deviceGroups([TOY, NPU]);
    expect(here).toEqual({ label: 'This machine', options: [{ id: THIS_MACHINE, label: 'This machine (measured on first use)' }] });
    expect(rest).toEqual([
      { label: 'CPUs', options: [{ id: 'toy', label: 'Toy CPU' }] },
      { label: 'NPUs', options: [{ id: 'npu', label: 'Toy NPU' }] },
    ]);
  });

  it('lists the measured machine once', () => {
    const groups = deviceGroups([{ ...TOY, id: THIS_MACHINE, name: 'This machine (Toy, 4 threads)' }, TOY]);
    expect(groups[0]!.options).toEqual([{ id: THIS_MACHINE, label: 'This machine (Toy, 4 threads)' }]);
    expect(groups.flatMap((g) => g.options).filter((o) => o.id === THIS_MACHINE)).toHaveLength(1);
  });

  it('groups the whole catalog, every device once', () => {
    const ids = deviceGroups(DEVICE_CATALOG).flatMap((g) => g.options.map((o) => o.id));
    expect(ids.sort()).toEqual([THIS_MACHINE, ...DEVICE_CATALOG.map((d) => d.id)].sort());
  });

  it('sums a device up as peak, bandwidth and ridge', () => {
    expect(deviceSummary(TOY)).toBe('fp32 100 GFLOP/s · 50 GB/s · ridge 2 FLOP/B');
    expect(deviceSummary(NPU)).toBe('int8 26 TOP/s · 4 GB/s · ridge 6500 OP/B');
  });

  it('gives every figure with its source', () => {
    expect(deviceDetails(TOY)).toBe('Toy CPU\nfp32: 100 GFLOP/s (datasheet)\nbandwidth: 50 GB/s (measured: triad)');
  });
});
