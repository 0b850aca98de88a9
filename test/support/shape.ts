/** Helpers for shape-inference tests: infer a built graph, and read types back in a comparable form. */
import type { GraphProto } from '../../engine/core/onnx/index.js';
import { inferShapes, type ShapeInference, type ValueType } from '../../engine/core/shape/index.js';
import { graph, model, opset } from './build.js';

/** Infers a graph built from `g` at a default-domain opset (com.microsoft opset 1 imported too). */
export function infer(g: Partial<GraphProto>, version = 21): ShapeInference {
  return inferShapes(model(graph(g), { opsetImport: [opset(version), opset(1, 'com.microsoft')] }));
}

/** A tensor type as dtype, shape and known contents. */
export function typeOf(t: ValueType | undefined) {
  return t?.kind === 'tensor' ? { dtype: t.dtype, shape: t.shape, value: t.value } : t;
}

/** A tensor type as dtype and shape only. */
export function shapeOf(t: ValueType | undefined) {
  return t?.kind === 'tensor' ? { dtype: t.dtype, shape: t.shape } : t;
}

/** Why the node named `name` has an unknown shape, if it has one. */
export function reasonFor(r: ShapeInference, name: string): string | undefined {
  return [...r.unknown.values()].find((u) => u.node.name === name)?.reason;
}
