import { DataType } from '../onnx/data-types.js';
import { isExternal, tensorElementCount, tensorValues } from '../onnx/tensor.js';
import type { GraphProto, NodeProto, TensorProto } from '../onnx/types.js';
import { leBytes, tensor } from '../onnx/build.js';
import { isStandardOp } from '../graph/node-label.js';

/** A Constant node's value as a tensor (value, value_float(s), value_int(s)); undefined for strings and sparse values. */
export function constantNodeTensor(node: NodeProto): TensorProto | undefined {
  const a = node.attribute[0];
  if (a === undefined || node.attribute.length !== 1) return undefined;
  switch (a.name) {
    case 'value':
      return a.t;
    case 'value_float':
      return floatTensor([], Float32Array.of(a.f ?? 0));
    case 'value_floats':
      return floatTensor([a.floats.length], Float32Array.from(a.floats));
    case 'value_int':
      return int64Tensor([], BigInt64Array.of(a.i ?? 0n));
    case 'value_ints':
      return int64Tensor([a.ints.length], BigInt64Array.from(a.ints));
    default:
      return undefined;
  }
}

/**
 * The constant values of one graph: initializers that are not also graph inputs (those can be
 * fed at run time, so they are defaults, not constants) and outputs of Constant nodes. Build it
 * once per graph and rebuild after edits.
 */
export class GraphConstants {
  private readonly byName = new Map<string, TensorProto>();

  constructor(graph: GraphProto) {
    const inputs = new Set(graph.input.map((v) => v.name));
    for (const t of graph.initializer) if (!inputs.has(t.name)) this.byName.set(t.name, t);
    for (const node of graph.node) {
      if (!isStandardOp(node, 'Constant') || node.output[0] === undefined) continue;
      const t = constantNodeTensor(node);
      if (t !== undefined) this.byName.set(node.output[0], t);
    }
  }

  /** The tensor behind a constant value, or undefined when the value is not constant here. */
  tensor(name: string): TensorProto | undefined {
    return this.byName.get(name);
  }

  /** True when the value is constant and its contents can be read (not external, not strings). */
  isReadable(name: string): boolean {
    const t = this.byName.get(name);
    return t !== undefined && !isExternal(t) && tensorValues(t) !== undefined;
  }

  /** A float32 constant's elements (a copy: callers may edit it), or undefined when absent, external or of another type. */
  float32(name: string): Float32Array | undefined {
    const t = this.byName.get(name);
    if (t === undefined || t.dataType !== DataType.FLOAT || isExternal(t)) return undefined;
    const values = tensorValues(t);
    return values instanceof Float32Array && values.length === tensorElementCount(t) ? Float32Array.from(values) : undefined;
  }

  dims(name: string): readonly number[] | undefined {
    return this.byName.get(name)?.dims;
  }
}

/** A float32 tensor holding `values` (raw_data, little-endian). */
export function floatTensor(dims: readonly number[], values: Float32Array, name = ''): TensorProto {
  return tensor({ name, dataType: DataType.FLOAT, dims: [...dims], rawData: leBytes(values) });
}

/** An int64 tensor holding `values`. */
export function int64Tensor(dims: readonly number[], values: BigInt64Array, name = ''): TensorProto {
  return tensor({ name, dataType: DataType.INT64, dims: [...dims], rawData: leBytes(values) });
}
