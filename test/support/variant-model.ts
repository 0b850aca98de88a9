/**
 * A small runnable model for workspace tests: y = x·W + B + C, with W and B initializers and C
 * the `value` of a Constant node, so that external data is tried in both places runtimes load it.
 */
import { DataType, type ModelProto } from '../../engine/core/onnx/index.js';
import { attr, graph, leBytes, model, node, tensor, valueInfo } from './build.js';

function floats(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 0.37) * 0.5);
}

/** `width` × `width` weights (4·width² bytes); `seed` makes each model's weights differ. */
export function variantModel(seed: number, width = 16): ModelProto {
  const w = tensor({ name: 'W', dataType: DataType.FLOAT, dims: [width, width], rawData: leBytes(floats(width * width, seed)) });
  const b = tensor({ name: 'B', dataType: DataType.FLOAT, dims: [width], rawData: leBytes(floats(width, seed + 1)) });
  const c = tensor({ name: 'C', dataType: DataType.FLOAT, dims: [width], rawData: leBytes(floats(width, seed + 2)) });
  return model(
    graph({
      node: [node('Constant', [], ['c'], [attr.tensor('value', c)]), node('MatMul', ['x', 'W'], ['xw']), node('Add', ['xw', 'B'], ['xwb']), node('Add', ['xwb', 'c'], ['y'])],
      initializer: [w, b],
      input: [valueInfo('x', DataType.FLOAT, [1, width])],
      output: [valueInfo('y', DataType.FLOAT, [1, width])],
    }),
  );
}

/** An input for {@link variantModel}. */
export function variantInput(width = 16): Float32Array {
  return Float32Array.from({ length: width }, (_, i) => i / width - 0.5);
}
