/**
 * Builders for hand-made ONNX models. The generic ones live in engine/core/onnx/build.ts, since
 * the engine builds models too (device micro-benchmarks); the ones here only tests need.
 */
import type { FunctionProto, SparseTensorProto, StringStringEntry, TensorProto } from '../../engine/core/onnx/index.js';

export { attr, graph, leBytes, model, node, opset, tensor, tensorType, valueInfo } from '../../engine/core/onnx/build.js';

export function sparseTensor(values: TensorProto, indices: TensorProto, dims: number[]): SparseTensorProto {
  return { values, indices, dims };
}

export function entry(key: string, value: string): StringStringEntry {
  return { key, value };
}

export function fn(fields: Partial<FunctionProto> & { name: string; domain: string }): FunctionProto {
  return { input: [], output: [], attribute: [], node: [], docString: '', opsetImport: [], attributeProto: [], valueInfo: [], overload: '', metadataProps: [], ...fields };
}

/** Unsigned LEB128 varints of 64-bit two's-complement values: the bytes of a packed int field. */
export function varintBytes(values: readonly (bigint | number)[]): Uint8Array {
  const out: number[] = [];
  for (const v of values) {
    let u = BigInt.asUintN(64, BigInt(v));
    while (u >= 0x80n) {
      out.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    out.push(Number(u));
  }
  return Uint8Array.from(out);
}
