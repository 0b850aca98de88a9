import { parseArgs } from 'node:util';
import { COMPUTE_DTYPES, DEVICE_CATALOG, peakFor, type ComputeDtype, type DeviceProfile } from '../engine/core/hardware/index.js';
import { loadOrMeasureThisMachine } from '../engine/node/device-cache.js';
import { table } from './format.js';

/** Three significant digits without exponent notation: 0.512, 5.12, 51.2, 512, 5120. */
function digits3(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function rate(value: number | undefined, dtype: ComputeDtype): string {
  if (value === undefined) return '–';
  const unit = dtype === 'int8' ? 'OPS' : 'FLOP/s';
  return value >= 1e12 ? `${digits3(value / 1e12)} T${unit}` : `${digits3(value / 1e9)} G${unit}`;
}

/** Ridge points for the element types the device has its own figure for, in FLOP (or OP) per byte. */
function ridges(device: DeviceProfile): string {
  return COMPUTE_DTYPES.map((d) => {
    const peak = peakFor(device, d);
    return peak?.dtypeUsed === d ? digits3(peak.figure.value / device.bandwidthBytesPerSec.value) : '–';
  }).join(' / ');
}

/** The device list as a text table, with what a reader needs to know about the measured row. */
export function formatDevices(devices: readonly DeviceProfile[]): string {
  const header = ['id', 'name', 'kind', 'fp32', 'fp16', 'int8', 'bandwidth', 'ridge fp32 / fp16 / int8'];
  const rows = devices.map((d) => [
    d.id,
    d.name,
    d.kind,
    ...COMPUTE_DTYPES.map((dtype) => rate(d.peakOpsPerSec[dtype]?.value, dtype)),
    `${digits3(d.bandwidthBytesPerSec.value / 1e9)} GB/s`,
    ridges(d),
  ]);
  const lines = [table([header, ...rows]), '', 'Peaks as published (see docs/devices.md for each source); ridge points in operations per byte.'];
  for (const d of devices) {
    const m = d.measurement;
    if (m === undefined) continue;
    lines.push(`${d.id}: measured ${m.date} with ${m.threads} thread${m.threads === 1 ? '' : 's'} on onnxruntime ${m.onnxruntimeVersion}; run "whittle devices --measure" to measure again.`);
    if (d.notes) lines.push(`  ${d.notes}`);
  }
  return lines.join('\n');
}

/**
 * `whittle devices [--measure] [--threads N] [--json]`: the device catalog plus this machine,
 * read from the cache or measured (always with --measure). Returns the exit code.
 */
export async function devicesCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { measure: { type: 'boolean' }, threads: { type: 'string' }, json: { type: 'boolean' } } });
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 1024)) {
    process.stderr.write(`whittle devices: --threads must be a whole number from 1 to 1024, not "${values.threads}"\n`);
    return 2;
  }
  const thisMachine = await loadOrMeasureThisMachine({
    threads,
    remeasure: values.measure,
    onMeasure: () => process.stderr.write('Measuring this machine through onnxruntime (a few seconds)…\n'),
  });
  const devices = [...DEVICE_CATALOG, thisMachine];
  process.stdout.write(values.json ? `${JSON.stringify(devices, null, 2)}\n` : `${formatDevices(devices)}\n`);
  return 0;
}
