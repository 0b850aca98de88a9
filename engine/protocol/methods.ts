import type { Finding, ModelSummary, ValueSummary } from '../core/graph/index.js';
import type { BenchmarkOptions, BenchmarkResult } from './benchmark.js';
import { benchmarkOptions, benchmarkResult } from './benchmark-checks.js';
import { tensorData, type TensorData } from './tensor.js';
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
  /** Measures a model (the current one unless `path` is given) in onnxruntime; reports progress and can be cancelled. */
  'bench.run': { params: { readonly path?: string; readonly options: BenchmarkOptions }; result: BenchmarkResult };
  /** The newest saved benchmark of the model (default: the current one) as its file is now; null when there is none. */
  'bench.latest': { params: { readonly path?: string }; result: BenchmarkResult | null };
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

/** Runtime checks for every method's parameters and result. */
export const METHODS: { readonly [M in MethodName]: { readonly params: Validator<Params<M>>; readonly result: Validator<Result<M>> } } = {
  'model.open': {
    params: object({ path: nonBlank(MAX_PATH_LENGTH) }),
    result: openedModelSummary,
  },
  'model.current': { params: object({}), result: nullable(openedModelSummary) },
  'model.tensor': { params: object({ name: text(MAX_NAME) }), result: tensorData },
  'bench.run': { params: object({ path: optional(nonBlank(MAX_PATH_LENGTH)), options: benchmarkOptions }), result: benchmarkResult },
  'bench.latest': { params: object({ path: optional(nonBlank(MAX_PATH_LENGTH)) }), result: nullable(benchmarkResult) },
};

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(METHODS, value);
}
