import type { Finding, ModelSummary, ValueSummary } from '../core/graph/index.js';
import type { BenchmarkOptions, BenchmarkResult } from './benchmark.js';
import type { Analysis } from '../core/analysis/types.js';
import type { NodeDetails } from '../core/graph/node-details.js';
import type { DeviceProfile } from '../core/hardware/device.js';
import { analysis, deviceList, nodeDetails } from './analysis-checks.js';
import { benchmarkOptions, benchmarkResult } from './benchmark-checks.js';
import type { TensorSummary } from '../core/stats/tensor-summary.js';
import { optimizeParams, optimizeReport, passInfoList, variantList, type OptimizeParams, type OptimizeReport, type PassInfo, type VariantList } from './optimize.js';
import { tensorData, tensorSummary, type TensorData } from './tensor.js';
import { count, dictionary, finiteNumber, list, nonBlank, nullable, object, oneOf, optional, text, type Validator } from './validate.js';

/** The summary of an opened model, with where it came from. */
export interface OpenedModelSummary extends ModelSummary {
  /** Absolute path of the model file. */
  readonly path: string;
  readonly fileName: string;
}

/** Every method of the Workbench API: what it takes and what it answers. */
export interface WorkbenchMethods {
  /** Opens a model file and makes it the current model. */
  'model.open': { params: { readonly path: string }; result: OpenedModelSummary };
  /** The current model: the one given at startup or opened last; null when there is none. */
  'model.current': { params: Record<string, never>; result: OpenedModelSummary | null };
  /** The elements of one initializer of the current model, for the weight inspector; sent as raw bytes, never JSON. */
  'model.tensor': { params: { readonly name: string }; result: TensorData };
  /** Statistics and a histogram of one initializer (or Constant) of the current model, computed in the engine. */
  'model.weightStats': { params: { readonly name: string }; result: TensorSummary };
  /** Measures a model (the current one unless `path` is given) in onnxruntime; reports progress and can be cancelled. */
  'bench.run': { params: { readonly path?: string; readonly options: BenchmarkOptions }; result: BenchmarkResult };
  /**
   * What Whittle predicts for the current model on a device (default: this machine, measured
   * once through onnxruntime): shapes, costs, memory, roofline. Reports progress while this
   * machine is being measured.
   */
  'model.analysis': { params: { readonly inputDims?: Readonly<Record<string, readonly (number | string)[]>>; readonly deviceId?: string }; result: Analysis };
  /** One node of the current model's main graph with its attributes, by its name in the analysis. */
  'model.node': { params: { readonly name: string }; result: NodeDetails };
  /** The devices predictions can be made for: this machine when measured, then the catalog. */
  'devices.list': { params: Record<string, never>; result: { readonly devices: readonly DeviceProfile[]; readonly thisMachineMeasured: boolean } };
  /** The newest saved benchmark of the model (default: the current one) as its file is now; null when there is none. */
  'bench.latest': { params: { readonly path?: string }; result: BenchmarkResult | null };
  /** The graph optimization passes, in their default order. */
  'optimize.passes': { params: Record<string, never>; result: readonly PassInfo[] };
  /** Previews (apply false) or applies passes to the current model; applying records a variant in its workspace. Reports progress, can be cancelled. */
  'optimize.run': { params: OptimizeParams; result: OptimizeReport };
  /** The current model's workspace and the variants recorded in it, oldest first, with where their files are. */
  'variants.list': { params: Record<string, never>; result: VariantList };
}

export type MethodName = keyof WorkbenchMethods;
export type Params<M extends MethodName> = WorkbenchMethods[M]['params'];
export type Result<M extends MethodName> = WorkbenchMethods[M]['result'];

/** Longest path accepted from a client (Linux PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;
/** Generous bounds for text that comes out of model files: names, doc strings, metadata. */
const MAX_NAME = 65_536;
const MAX_TEXT = 4 * 1024 * 1024;
const MAX_ITEMS = 1_000_000;

const valueSummary: Validator<ValueSummary> = object({
  name: text(MAX_NAME),
  dtype: text(MAX_NAME),
  shape: optional(list((d, at) => (typeof d === 'string' ? text(MAX_NAME)(d, at) : nullable(finiteNumber)(d, at)), MAX_ITEMS)),
});

// `code` is checked as text: the list of finding codes belongs to engine/core, and a newer
// engine must not break an older UI.
const finding = object({
  severity: oneOf(['error', 'warning'] as const),
  code: text(200),
  message: text(MAX_TEXT),
  graphPath: text(MAX_TEXT),
  node: optional(text(MAX_NAME)),
}) as Validator<Finding>;

export const openedModelSummary: Validator<OpenedModelSummary> = object({
  path: text(MAX_PATH_LENGTH),
  fileName: text(MAX_PATH_LENGTH),
  irVersion: finiteNumber,
  opsets: dictionary(finiteNumber, MAX_ITEMS, MAX_NAME),
  producer: object({ name: text(MAX_NAME), version: text(MAX_NAME) }),
  graphName: text(MAX_NAME),
  docString: text(MAX_TEXT),
  metadata: dictionary(text(MAX_TEXT), MAX_ITEMS, MAX_NAME),
  inputs: list(valueSummary, MAX_ITEMS),
  outputs: list(valueSummary, MAX_ITEMS),
  nodeCount: count,
  subgraphCount: count,
  functionCount: count,
  opTypes: dictionary(count, MAX_ITEMS, MAX_NAME),
  params: count,
  weightBytes: count,
  externalData: list(object({ location: text(MAX_PATH_LENGTH), tensors: count, bytes: count }), MAX_ITEMS),
  findings: list(finding, MAX_ITEMS),
});

/** A pinned input dim: a size, or a name that stays symbolic. */
const inputDim: Validator<number | string> = (value, at) => (typeof value === 'string' ? nonBlank(200)(value, at) : count(value, at));

/** Runtime checks for every method's parameters and result. */
export const METHODS: { readonly [M in MethodName]: { readonly params: Validator<Params<M>>; readonly result: Validator<Result<M>> } } = {
  'model.open': {
    params: object({ path: nonBlank(MAX_PATH_LENGTH) }),
    result: openedModelSummary,
  },
  'model.current': { params: object({}), result: nullable(openedModelSummary) },
  'model.tensor': { params: object({ name: text(MAX_NAME) }), result: tensorData },
  'model.weightStats': { params: object({ name: text(MAX_NAME) }), result: tensorSummary },
  'bench.run': { params: object({ path: optional(nonBlank(MAX_PATH_LENGTH)), options: benchmarkOptions }), result: benchmarkResult },
  'bench.latest': { params: object({ path: optional(nonBlank(MAX_PATH_LENGTH)) }), result: nullable(benchmarkResult) },
  'model.analysis': {
    params: object({ inputDims: optional(dictionary(list(inputDim, 64), MAX_ITEMS, MAX_NAME)), deviceId: optional(nonBlank(200)) }),
    result: analysis,
  },
  'model.node': { params: object({ name: text(MAX_NAME) }), result: nodeDetails },
  'devices.list': { params: object({}), result: deviceList },
  'optimize.passes': { params: object({}), result: passInfoList },
  'optimize.run': { params: optimizeParams, result: optimizeReport },
  'variants.list': { params: object({}), result: variantList },
};

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(METHODS, value);
}
