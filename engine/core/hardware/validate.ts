import { COMPUTE_DTYPES, DEVICE_KINDS, type ComputeDtype, type DeviceKind } from './device.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

function figureProblem(v: unknown, where: string): string | undefined {
  if (!isObject(v)) return `${where} is not an object`;
  if (!isPositive(v.value)) return `${where}.value must be a positive finite number`;
  if (!isText(v.source)) return `${where}.source must say where the figure comes from`;
  return undefined;
}

function spreadProblem(v: unknown, where: string): string | undefined {
  if (!isObject(v)) return `${where} is not an object`;
  for (const key of ['median', 'min', 'max', 'cv']) {
    const n = v[key];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return `${where}.${key} must be a non-negative finite number`;
  }
  return undefined;
}

function measurementProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'measurement is not an object';
  if (!isText(m.date) || Number.isNaN(Date.parse(m.date))) return 'measurement.date must be an ISO date';
  for (const key of ['threads', 'cores', 'runs']) if (!isCount(m[key])) return `measurement.${key} must be a positive integer`;
  for (const key of ['onnxruntimeVersion', 'cpuModel']) if (!isText(m[key])) return `measurement.${key} must be a non-empty string`;
  if (!isObject(m.methods) || !Object.values(m.methods).every(isText)) return 'measurement.methods must map each figure to a description';
  if (!isObject(m.spread)) return 'measurement.spread is not an object';
  for (const [key, s] of Object.entries(m.spread)) {
    const problem = spreadProblem(s, `measurement.spread.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Why `value` is not a usable DeviceProfile (the first problem found), or undefined when
 * it is one. Checks what the roofline relies on: positive finite figures that each name their
 * source, at least one peak, a known kind, a kebab-case id. Use it on anything read from disk or
 * received over the protocol.
 */
export function deviceProfileProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'a device profile must be an object';
  if (typeof value.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value.id)) return 'id must be kebab-case (a-z, 0-9, single dashes)';
  const at = `device "${value.id}"`;
  if (!isText(value.name)) return `${at}: name must be a non-empty string`;
  if (!DEVICE_KINDS.includes(value.kind as DeviceKind)) return `${at}: kind must be one of ${DEVICE_KINDS.join(', ')}`;
  const peaks = value.peakOpsPerSec;
  if (!isObject(peaks)) return `${at}: peakOpsPerSec is not an object`;
  const dtypes = Object.keys(peaks);
  const unknown = dtypes.find((d) => !COMPUTE_DTYPES.includes(d as ComputeDtype));
  if (unknown !== undefined) return `${at}: peakOpsPerSec has unknown element type "${unknown}"`;
  if (dtypes.length === 0) return `${at}: peakOpsPerSec needs at least one figure`;
  for (const d of dtypes) {
    const problem = figureProblem(peaks[d], `peakOpsPerSec.${d}`);
    if (problem) return `${at}: ${problem}`;
  }
  const bandwidth = figureProblem(value.bandwidthBytesPerSec, 'bandwidthBytesPerSec');
  if (bandwidth) return `${at}: ${bandwidth}`;
  if (value.notes !== undefined && typeof value.notes !== 'string') return `${at}: notes must be a string`;
  if (value.measurement !== undefined) {
    const problem = measurementProblem(value.measurement);
    if (problem) return `${at}: ${problem}`;
  }
  return undefined;
}
