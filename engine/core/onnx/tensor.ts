import { DataType, dataTypeInfo, rawByteLength } from './data-types.js';
import { elementCount } from './tensor-check.js';
import { DataLocation, type LazyNumbers, type TensorProto } from './types.js';
import { WireReader } from './wire.js';

export type TensorValues = Float32Array | Float64Array | Int32Array | BigInt64Array | BigUint64Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array;

export function isExternal(t: TensorProto): boolean {
  return t.dataLocation === DataLocation.EXTERNAL;
}

/** Elements in the tensor (1 for a scalar). Dims were checked when the model was decoded. */
export function tensorElementCount(t: { dims: readonly number[] }): number {
  return elementCount(t.dims) ?? 0;
}

/** Bytes the tensor's elements take at their data type's width (what a runtime holds in memory). */
export function tensorByteSize(t: TensorProto): number {
  const info = dataTypeInfo(t.dataType);
  if (info === undefined) return 0;
  if (info.bits === 0) return t.stringData.reduce((n, s) => n + s.length, 0);
  return rawByteLength(info, tensorElementCount(t));
}

function* varints(chunks: LazyNumbers): Generator<bigint> {
  for (const c of chunks) {
    const r = new WireReader(c, 0, c.length, '');
    while (r.pos < r.end) yield r.int64Big();
  }
}

function concat(chunks: LazyNumbers): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

type ArrayCtor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorValues; new (length: number): TensorValues; BYTES_PER_ELEMENT: number };

const ARRAY_OF_TYPE: Partial<Record<number, ArrayCtor>> = {
  [DataType.FLOAT]: Float32Array,
  [DataType.DOUBLE]: Float64Array,
  [DataType.INT8]: Int8Array,
  [DataType.UINT8]: Uint8Array,
  [DataType.BOOL]: Uint8Array,
  [DataType.INT16]: Int16Array,
  [DataType.UINT16]: Uint16Array,
  [DataType.FLOAT16]: Uint16Array,
  [DataType.BFLOAT16]: Uint16Array,
  [DataType.INT32]: Int32Array,
  [DataType.UINT32]: Uint32Array,
  [DataType.INT64]: BigInt64Array,
  [DataType.UINT64]: BigUint64Array,
};

/** Typed view over little-endian bytes, sharing memory when aligned (copying only when not). */
function viewAs(ctor: ArrayCtor, bytes: Uint8Array): TensorValues {
  const width = ctor.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % width === 0) return new ctor(bytes.buffer, bytes.byteOffset, bytes.length / width);
  const copy = new Uint8Array(bytes);
  return new ctor(copy.buffer, 0, bytes.length / width);
}

/**
 * The tensor's elements as a typed array in the data type's own width (float16 and bfloat16 as
 * their raw 16-bit patterns). `external` supplies the bytes of an external tensor. Returns
 * undefined for types without a plain typed array (strings, complex, 8/4/2-bit floats and ints).
 */
export function tensorValues(t: TensorProto, external?: Uint8Array): TensorValues | undefined {
  const ctor = ARRAY_OF_TYPE[t.dataType];
  if (ctor === undefined) return undefined;
  const raw = external ?? t.rawData;
  if (raw !== undefined) return viewAs(ctor, raw);
  if (t.floatData.length > 0) return viewAs(Float32Array as unknown as ArrayCtor, concat(t.floatData));
  if (t.doubleData.length > 0) return viewAs(Float64Array as unknown as ArrayCtor, concat(t.doubleData));
  const ints = t.int64Data.length > 0 ? t.int64Data : t.uint64Data.length > 0 ? t.uint64Data : t.int32Data;
  const out = new ctor(tensorElementCount(t));
  let i = 0;
  for (const v of varints(ints)) {
    if (i >= out.length) break;
    if (out instanceof BigInt64Array) out[i++] = BigInt.asIntN(64, v);
    else if (out instanceof BigUint64Array) out[i++] = BigInt.asUintN(64, v);
    else out[i++] = Number(BigInt.asIntN(32, v));
  }
  return out;
}
