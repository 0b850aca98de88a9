import { GraphView } from '../../../engine/core/graph/index.js';
import { analyzeMemory, type MemoryAnalysis, type MemoryOptions } from '../../../engine/core/memory/index.js';
import { DataType, type GraphProto, type OperatorSetId, type TensorProto } from '../../../engine/core/onnx/index.js';
import { inferShapes, tensorOf, type Dim, type ValueType } from '../../../engine/core/shape/index.js';
import { leBytes, model, tensor } from '../../support/build.js';

export const F = DataType.FLOAT;

/** A float32 initializer filled with one value. */
export function f32(name: string, dims: number[], fill = 0.5): TensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  return tensor({ name, dataType: F, dims, rawData: leBytes(new Float32Array(n).fill(fill)) });
}

/** Memory analysis of a built graph, typed by Whittle's shape inference (with pinned input dims when given). */
export function analyze(g: GraphProto, options: MemoryOptions & { inputDims?: Record<string, Dim[]>; opsets?: OperatorSetId[] } = {}): MemoryAnalysis {
  const m = model(g, options.opsets ? { opsetImport: options.opsets } : {});
  const inferred = inferShapes(m, { inputDims: options.inputDims });
  const { order } = new GraphView(g).topologicalOrder();
  const opset = m.opsetImport.find((o) => o.domain === '')?.version;
  return analyzeMemory(g, order, (name) => inferred.typeOf(name, g), { opset, ...options });
}

/** Memory analysis with types given by hand: float32 vectors of `elements[name]` elements (undefined: unknown size). */
export function analyzeWithSizes(g: GraphProto, elements: Record<string, number | undefined>, options: MemoryOptions = {}): MemoryAnalysis {
  const typeOf = (name: string): ValueType | undefined => (name in elements ? tensorOf(F, [elements[name] ?? null]) : undefined);
  const { order } = new GraphView(g).topologicalOrder();
  return analyzeMemory(g, order, typeOf, options);
}
