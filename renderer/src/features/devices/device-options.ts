import type { DeviceKind, DeviceProfile } from '../../../../engine/core/hardware/device.js';
import { DTYPES } from '../charts/roofline-points.js';
import { formatRate, sig3 } from '../charts/units.js';

/** The id of the machine Whittle runs on; it is measured the first time a prediction needs it. */
export const THIS_MACHINE = 'this-machine';

export interface DeviceOption {
  readonly id: string;
  readonly label: string;
}

export interface DeviceGroup {
  readonly label: string;
  readonly options: readonly DeviceOption[];
}

/** In the order the groups are listed; every kind has one. */
const KIND_LABELS: Record<DeviceKind, string> = { cpu: 'CPUs', gpu: 'GPUs', soc: 'Boards and phones', npu: 'NPUs' };

/** This machine first (by its measured profile's name, or still to be measured), then the catalog by kind, in catalog order. */
export function deviceGroups(devices: readonly DeviceProfile[]): DeviceGroup[] {
  const measured = devices.find((d) => d.id === THIS_MACHINE);
  const here: DeviceGroup = { label: 'This machine', options: [{ id: THIS_MACHINE, label: measured?.name ?? 'This machine (measured on first use)' }] };
  const catalog = (Object.keys(KIND_LABELS) as DeviceKind[]).map((kind) => ({
    label: KIND_LABELS[kind],
    options: devices.filter((d) => d.kind === kind && d.id !== THIS_MACHINE).map((d) => ({ id: d.id, label: d.name })),
  })).filter((g) => g.options.length > 0);
  return [here, ...catalog];
}

const unitOf = (dtype: string) => (dtype === 'int8' ? 'OP/s' : 'FLOP/s');

/** The figures that matter at a glance: the first peak the device has, its bandwidth and ridge point. */
export function deviceSummary(device: DeviceProfile): string {
  const gbps = device.bandwidthBytesPerSec.value / 1e9;
  const dtype = DTYPES.find((d) => device.peakOpsPerSec[d] !== undefined);
  const bandwidth = `${sig3(gbps)} GB/s`;
  if (dtype === undefined) return bandwidth;
  const peak = device.peakOpsPerSec[dtype]!.value;
  const ridge = peak / device.bandwidthBytesPerSec.value;
  return `${dtype} ${formatRate(peak / 1e9, unitOf(dtype))} · ${bandwidth} · ridge ${sig3(ridge)} ${dtype === 'int8' ? 'OP' : 'FLOP'}/B`;
}

/** Every figure with its source, for a tooltip. */
export function deviceDetails(device: DeviceProfile): string {
  const peaks = DTYPES.flatMap((d) => {
    const f = device.peakOpsPerSec[d];
    return f === undefined ? [] : [`${d}: ${formatRate(f.value / 1e9, unitOf(d))} (${f.source})`];
  });
  const bw = device.bandwidthBytesPerSec;
  return [device.name, ...peaks, `bandwidth: ${sig3(bw.value / 1e9)} GB/s (${bw.source})`, ...(device.notes ? [device.notes] : [])].join('\n');
}
