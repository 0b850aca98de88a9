/** One ONNX tensor element type (TensorProto.DataType). */
export interface DataTypeInfo {
  readonly id: number;
  /** Lower-case name as used in onnxruntime and NumPy-like tools: float32, int4, float8e4m3fn… */
  readonly name: string;
  /** Bits per element on the wire (raw_data); 0 for strings, whose size varies. */
  readonly bits: number;
}

const TYPES: readonly DataTypeInfo[] = [
  { id: 1, name: 'float32', bits: 32 },
  { id: 2, name: 'uint8', bits: 8 },
  { id: 3, name: 'int8', bits: 8 },
  { id: 4, name: 'uint16', bits: 16 },
  { id: 5, name: 'int16', bits: 16 },
  { id: 6, name: 'int32', bits: 32 },
  { id: 7, name: 'int64', bits: 64 },
  { id: 8, name: 'string', bits: 0 },
  { id: 9, name: 'bool', bits: 8 },
  { id: 10, name: 'float16', bits: 16 },
  { id: 11, name: 'float64', bits: 64 },
  { id: 12, name: 'uint32', bits: 32 },
  { id: 13, name: 'uint64', bits: 64 },
  { id: 14, name: 'complex64', bits: 64 },
  { id: 15, name: 'complex128', bits: 128 },
  { id: 16, name: 'bfloat16', bits: 16 },
  { id: 17, name: 'float8e4m3fn', bits: 8 },
  { id: 18, name: 'float8e4m3fnuz', bits: 8 },
  { id: 19, name: 'float8e5m2', bits: 8 },
  { id: 20, name: 'float8e5m2fnuz', bits: 8 },
  { id: 21, name: 'uint4', bits: 4 },
  { id: 22, name: 'int4', bits: 4 },
  { id: 23, name: 'float4e2m1', bits: 4 },
  { id: 24, name: 'float8e8m0', bits: 8 },
  { id: 25, name: 'uint2', bits: 2 },
  { id: 26, name: 'int2', bits: 2 },
];

const BY_ID = new Map(TYPES.map((t) => [t.id, t]));

export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** The element type with this id, or undefined for ids this schema does not define. */
export function dataTypeInfo(id: number): DataTypeInfo | undefined {
  return BY_ID.get(id);
}

/** A readable name for any id, including unknown ones (`type#99`). */
export function dataTypeName(id: number): string {
  return BY_ID.get(id)?.name ?? `type#${id}`;
}

/** Bytes that `count` elements take in raw_data (sub-byte types are packed, rounded up). */
export function rawByteLength(info: DataTypeInfo, count: number): number {
  return Math.ceil((count * info.bits) / 8);
}
