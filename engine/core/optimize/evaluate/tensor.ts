/**
 * The tensors the constant evaluator works on: element type, dims and a typed array in the
 * type's own width, and the argument reader every kernel gets.
 */
import { NodeAttributes } from '../../graph/attributes.js';
import { leBytes, tensor } from '../../onnx/build.js';
import { DataType, dataTypeName } from '../../onnx/data-types.js';
import { isExternal, tensorElementCount, tensorValues } from '../../onnx/tensor.js';
import type { NodeProto, TensorProto } from '../../onnx/types.js';

export type Data = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A tensor whose contents are known. Never edited once made: kernels make new ones. */
export interface Value {
  readonly dtype: number;
  readonly dims: readonly number[];
  readonly data: Data;
}

/** Thrown by a kernel that will not evaluate a node (a type it does not handle, behaviour the spec leaves undefined…): the node stays as it is. */
export class EvalRefusal extends Error {}

type DataCtor = new (length: number) => Data;

/** Element types the evaluator computes with. float16 and bfloat16 are left out: their arrays hold bit patterns, not numbers. */
const ARRAYS: ReadonlyMap<number, DataCtor> = new Map<number, DataCtor>([
  [DataType.FLOAT, Float32Array],
  [DataType.DOUBLE, Float64Array],
  [DataType.INT8, Int8Array],
  [DataType.UINT8, Uint8Array],
  [DataType.INT16, Int16Array],
  [DataType.UINT16, Uint16Array],
  [DataType.INT32, Int32Array],
  [DataType.UINT32, Uint32Array],
  [DataType.INT64, BigInt64Array],
  [DataType.UINT64, BigUint64Array],
  [DataType.BOOL, Uint8Array],
]);

export function isSupported(dtype: number): boolean {
  return ARRAYS.has(dtype);
}

/** True for the element types held as bigints (int64, uint64). */
export function isBig(dtype: number): boolean {
  return dtype === DataType.INT64 || dtype === DataType.UINT64;
}

export function isFloat(dtype: number): boolean {
  return dtype === DataType.FLOAT || dtype === DataType.DOUBLE;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Row-major strides of `dims`. */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= dims[i]!;
  }
  return strides;
}

/** A zero-filled array for `count` elements of `dtype`. */
export function allocate(dtype: number, count: number): Data {
  const ctor = ARRAYS.get(dtype);
  if (ctor === undefined) throw new EvalRefusal(`element type ${dataTypeName(dtype)} is not evaluated`);
  return new ctor(count);
}

/** The contents of a constant tensor, or undefined when they cannot be read here (external data, strings, float16…). */
export function valueOfTensor(t: TensorProto): Value | undefined {
  if (!isSupported(t.dataType) || isExternal(t)) return undefined;
  const data = tensorValues(t);
  const count = tensorElementCount(t);
  if (data === undefined || data.length < count) return undefined;
  return { dtype: t.dataType, dims: [...t.dims], data: (data.length === count ? data : data.subarray(0, count)) as Data };
}

/** The value as a tensor named `name` (raw_data, little-endian). */
export function tensorOfValue(v: Value, name: string): TensorProto {
  return tensor({ name, dataType: v.dtype, dims: [...v.dims], rawData: leBytes(v.data) });
}

/** Every element of an integer tensor as a number (axes, dims, indices, pads); refuses other types. */
export function numbersOf(v: Value): number[] {
  if (isFloat(v.dtype) || v.dtype === DataType.BOOL) throw new EvalRefusal(`expected integers, got ${dataTypeName(v.dtype)}`);
  return Array.from(v.data as ArrayLike<number | bigint>, (x) => Number(x));
}

/** An axis in [-rank, rank) as a position in [0, rank). */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!(a >= 0 && a < rank)) throw new EvalRefusal(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Computes a node's outputs, one per output, or throws EvalRefusal. */
export type Kernel = (args: Args) => Value[];

/** What a kernel reads: the node's attributes with the spec's defaults, its opset, its inputs' contents. */
export class Args extends NodeAttributes {
  constructor(
    readonly node: NodeProto,
    readonly opset: number,
    private readonly inputs: readonly (Value | undefined)[],
    /** Largest result (elements) a kernel may make. */
    private readonly maxElements: number,
  ) {
    super(node);
  }

  get inputCount(): number {
    return this.node.input.length;
  }

  /** True when input `i` is given (optional inputs may be absent or named ''). */
  has(i: number): boolean {
    return i < this.node.input.length && this.node.input[i] !== '';
  }

  input(i: number): Value {
    const v = this.has(i) ? this.inputs[i] : undefined;
    if (v === undefined) throw new EvalRefusal(`${this.node.opType} input ${i} is missing`);
    return v;
  }

  optional(i: number): Value | undefined {
    return this.has(i) ? this.input(i) : undefined;
  }

  /**
   * An integer list given as attribute `name` in older opsets and as input `index` in newer
   * ones (Squeeze 13, Slice 10, ReduceSum 13…); whichever the node uses wins.
   */
  list(name: string, index: number): number[] | undefined {
    return this.has(index) ? numbersOf(this.input(index)) : this.ints(name);
  }

  /** A new zero-filled value; refuses results over the size cap before allocating them. */
  make(dtype: number, dims: readonly number[]): { dtype: number; dims: number[]; data: Data } {
    return { dtype, dims: [...dims], data: allocate(dtype, this.capped(dims)) };
  }

  /** The same elements under other dims (sharing them, as values are never edited). */
  reshaped(v: Value, dims: readonly number[]): Value {
    if (this.capped(dims) !== v.data.length) throw new EvalRefusal(`cannot view ${v.data.length} elements as ${dims.join('x')}`);
    return { dtype: v.dtype, dims: [...dims], data: v.data };
  }

  private capped(dims: readonly number[]): number {
    if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new EvalRefusal(`invalid dims ${dims.join('x')}`);
    const count = elementCount(dims);
    if (count > this.maxElements) throw new EvalRefusal(`the result would have ${count} elements, over the cap of ${this.maxElements}`);
    return count;
  }
}
