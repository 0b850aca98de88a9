/** What a device can do, as the roofline model needs it: peak compute per element type and memory bandwidth. */

/** Element types a device's peak compute is quoted for. */
export type ComputeDtype = 'fp32' | 'fp16' | 'int8';

export const COMPUTE_DTYPES: readonly ComputeDtype[] = ['fp32', 'fp16', 'int8'];

/** A figure with where it came from: a datasheet URL or document name, or "measured: <method>". */
export interface Figure {
  readonly value: number;
  readonly source: string;
}

/** Spread of one measured figure over the timed runs, in the figure's own unit (ops/s or bytes/s). */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Coefficient of variation: standard deviation ÷ mean. */
  readonly cv: number;
}

/** How a measured profile was obtained, so two measurements can be compared and trusted. */
export interface Measurement {
  /** ISO 8601 time the measurement finished. */
  readonly date: string;
  /** onnxruntime intra-op threads the kernels ran with. */
  readonly threads: number;
  readonly onnxruntimeVersion: string;
  readonly cpuModel: string;
  /** Logical CPUs the operating system reports. */
  readonly cores: number;
  /** Timed runs per figure, after untimed warm-up runs. */
  readonly runs: number;
  /** Per figure (`fp32`, `fp16`, `int8`, `bandwidth`): what was run and what was counted. */
  readonly methods: Readonly<Record<string, string>>;
  /** Per figure that was measured: median, min, max and coefficient of variation over the runs. */
  readonly spread: Readonly<Record<string, Spread>>;
}

export type DeviceKind = 'cpu' | 'gpu' | 'npu' | 'soc';

export const DEVICE_KINDS: readonly DeviceKind[] = ['cpu', 'gpu', 'npu', 'soc'];

export interface DeviceProfile {
  /** kebab-case, e.g. `rpi5`, `jetson-orin-nano-8gb`, `this-machine`. */
  readonly id: string;
  readonly name: string;
  readonly kind: DeviceKind;
  /** Peak operations per second per element type (FLOP/s; int8: OP/s). Missing: not supported or not known. */
  readonly peakOpsPerSec: Readonly<Partial<Record<ComputeDtype, Figure>>>;
  readonly bandwidthBytesPerSec: Figure;
  /** What a reader must know to use the figures well (which engine they belong to, caveats). */
  readonly notes?: string;
  /** Present only on measured profiles. */
  readonly measurement?: Measurement;
}
