import { expect } from 'vitest';
import { encodeModel, DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../../../engine/core/onnx/index.js';
import type { Pass, PassOptions, PassResult } from '../../../engine/core/optimize/types.js';
import { leBytes, model, opset, tensor } from '../../support/build.js';
import { outputMismatches } from '../../support/equivalence.js';
import { ort } from '../../support/ort.js';

export const F = DataType.FLOAT;

/** Seeded values in [min, max): reproducible weights irregular enough that a wrong fold shows. */
function seeded(count: number, seed: number, min = -1, max = 1): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return min + (a / 2 ** 32) * (max - min);
  });
}

/** A float32 initializer of seeded values (or the given ones). */
export function weights(name: string, dims: number[], seed: number | Float32Array, min = -1, max = 1): TensorProto {
  const n = dims.reduce((x, y) => x * y, 1);
  const values = typeof seed === 'number' ? seeded(n, seed, min, max) : seed;
  return tensor({ name, dataType: F, dims, rawData: leBytes(values) });
}

/** An int64 initializer. */
export function int64s(name: string, values: number[], dims = [values.length]): TensorProto {
  return tensor({ name, dataType: DataType.INT64, dims, rawData: leBytes(BigInt64Array.from(values, BigInt)) });
}

/** A model of the graph at the given opset of the standard operators. */
export function at(g: GraphProto, version = 17): ModelProto {
  return model(g, { opsetImport: [opset(version)] });
}

/** A float32 feed of seeded values. */
export function feed(dims: number[], seed = 7): ort.Tensor {
  return new ort.Tensor('float32', seeded(dims.reduce((a, b) => a * b, 1), seed, -2, 2), dims);
}

/**
 * Runs the pass and checks what every pass must do: leave its input as it was, and find nothing
 * more to do in its own output.
 */
export function runPass(pass: Pass, input: ModelProto, options: PassOptions = {}): PassResult {
  const before = encodeModel(input);
  const result = pass.run(input, options);
  expect(encodeModel(input)).toEqual(before);
  const again = pass.run(result.model, options);
  expect(again.changes).toEqual([]);
  expect(again.model).toBe(result.model);
  if (result.changes.length === 0) expect(result.model).toBe(input);
  return result;
}

/** Expects the pass to change nothing. */
export function expectRefused(pass: Pass, input: ModelProto, options: PassOptions = {}): void {
  const result = runPass(pass, input, options);
  expect(result.changes).toEqual([]);
}

/** Expects the variant's outputs to match the parent's in onnxruntime (1e-4 of the largest output). */
export async function expectSameOutputs(parent: ModelProto, variant: ModelProto, feeds: Record<string, ort.Tensor>): Promise<void> {
  expect(await outputMismatches(parent, variant, feeds, 1e-4)).toEqual([]);
}

/** Op types of the graph's nodes, in order. */
export function ops(g: GraphProto | undefined): string[] {
  return (g?.node ?? []).map((n: NodeProto) => n.opType);
}
