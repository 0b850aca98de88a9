import type { GraphProto, NodeProto } from '../onnx/types.js';
import { GraphFacts, type TypeLookup } from './facts.js';
import { detectFusions } from './fusion.js';
import { liveness } from './liveness.js';
import { detectReparameterizable } from './reparam.js';
import { bytesFromTypes, totalTraffic } from './traffic.js';
import type { BytesOf, MemoryAnalysis, OptimizationLevel } from './types.js';

export type { TypeLookup } from './facts.js';
export * from './types.js';

export interface MemoryOptions {
  /**
   * Bytes each node reads and writes per run, as the cost model counts them (undefined for a node
   * it cannot count). Without it every given input and output is counted once from its type.
   */
  readonly bytesOf?: BytesOf;
  /** Which of onnxruntime's optimization levels to model the fusions of; onnxruntime's default, `all`, when not given. */
  readonly optimizationLevel?: OptimizationLevel;
  /** The model's opset of the default domain: from 20 onnxruntime fuses exact Gelu into the ONNX Gelu op at level basic. */
  readonly opset?: number;
}

/**
 * Where the main graph's bytes go when it runs in `order` (the execution order, e.g.
 * `GraphView.topologicalOrder().order`): resident weights, live activations at each step and at the
 * peak, total compulsory traffic, the traffic left after the fusions onnxruntime's CPU provider
 * performs, and blocks that re-parameterization could merge. Sizes come from `typeOf` (shape
 * inference's types for the main graph); values of unknown size are reported as unknown, never
 * counted as 0. Constants are the initializers, Constant outputs and outputs of nodes whose inputs
 * are all constant (folded by the runtime at load): they are weights, not activations, and those
 * nodes move no bytes per run. Outputs of Reshape, Squeeze, Unsqueeze, Flatten and Identity are
 * views of their input, as runtimes alias them: they allocate nothing and keep the input's buffer
 * alive until their own last read.
 */
export function analyzeMemory(graph: GraphProto, order: readonly NodeProto[], typeOf: TypeLookup, options: MemoryOptions = {}): MemoryAnalysis {
  const facts = new GraphFacts(graph, order, typeOf, options.opset);
  const bytesOf = options.bytesOf ?? bytesFromTypes(facts);
  const optimizationLevel = options.optimizationLevel ?? 'all';
  const live = liveness(facts);
  const traffic = totalTraffic(facts, bytesOf);
  const fusions = detectFusions(facts, optimizationLevel);
  // A fusion's saving is subtracted only when the traffic of all its nodes is in the total.
  const uncounted = new Set(order.filter((n) => facts.runs(n) && bytesOf(n) === undefined).map((n) => facts.label(n)));
  const saved = fusions.reduce((a, f) => a + (f.nodes.some((n) => uncounted.has(n)) ? 0 : f.savedBytes), 0);
  return {
    weightBytes: facts.weightBytes(),
    ...live,
    ...traffic,
    fusedTrafficBytes: traffic.trafficBytes - saved,
    optimizationLevel,
    fusions,
    reparameterizable: detectReparameterizable(facts, bytesOf),
  };
}
