import { dataTypeInfo, rawByteLength } from '../onnx/data-types.js';
import type { TypeProto } from '../onnx/types.js';

/**
 * What shape inference knows about a value. A dimension is a size, a symbolic expression kept by
 * name (`batch`, `(H+1)/2`), or null when nothing is known about it.
 */
export type Dim = number | string | null;

export interface TensorType {
  readonly kind: 'tensor';
  /** ONNX element type id (TensorProto.DataType); 0 when unknown. */
  readonly dtype: number;
  /** One entry per axis; undefined when even the rank is unknown. */
  readonly shape?: readonly Dim[];
  /**
   * The tensor's contents when they are small and known before running (shape arithmetic:
   * Shape → Gather → Concat → Reshape), row-major. Elements may be symbolic, as a Shape of a
   * tensor with symbolic dims is.
   */
  readonly value?: readonly Dim[];
}

export interface SequenceType {
  readonly kind: 'sequence';
  /** A type covering every element. */
  readonly elem?: ValueType;
  /** Number of elements, when known (0 for SequenceEmpty, whose elem then carries only a dtype). */
  readonly length?: Dim;
}

export interface OptionalType {
  readonly kind: 'optional';
  readonly elem?: ValueType;
}

/** Maps and opaque types: carried along, never inspected. */
export interface OtherType {
  readonly kind: 'other';
  readonly description: string;
}

export type ValueType = TensorType | SequenceType | OptionalType | OtherType;

export function tensorOf(dtype: number, shape?: readonly Dim[], value?: readonly Dim[]): TensorType {
  if (value !== undefined) return { kind: 'tensor', dtype, shape, value };
  return shape === undefined ? { kind: 'tensor', dtype } : { kind: 'tensor', dtype, shape };
}

/** True when every dim of the tensor is a number. */
export function isStatic(shape: readonly Dim[] | undefined): shape is readonly number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number');
}

/** True when the type is a tensor whose rank is known and no dim is null (symbolic names allowed). */
export function isFullyKnown(t: ValueType | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === 'tensor') return t.dtype !== 0 && t.shape !== undefined && t.shape.every((d) => d !== null);
  if (t.kind === 'sequence' && t.length === 0) return true;
  if (t.kind === 'sequence' || t.kind === 'optional') return t.elem !== undefined && isFullyKnown(t.elem);
  return true;
}

/**
 * Bytes a tensor of this type takes at its element type's width (sub-byte types packed), or
 * undefined when a dim is not a number or the element type has no fixed width (strings).
 */
export function tensorBytes(t: ValueType | undefined): number | undefined {
  if (t?.kind !== 'tensor' || !isStatic(t.shape)) return undefined;
  const info = dataTypeInfo(t.dtype);
  if (info === undefined || info.bits === 0) return undefined;
  return rawByteLength(info, t.shape.reduce((a, b) => a * b, 1));
}

/** `1x3x224x224`, `batchx3xHxW`, `?` for unknown dims, `rank?` when the rank is unknown. */
export function formatShape(shape: readonly Dim[] | undefined): string {
  if (shape === undefined) return 'rank?';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : String(d))).join('x');
}

/** The declared type of a graph input, as inference sees it. */
export function typeFromProto(type: TypeProto | undefined): ValueType | undefined {
  if (type === undefined) return undefined;
  const tensor = type.tensorType ?? type.sparseTensorType;
  if (tensor) {
    const shape = tensor.shape?.dim.map((d): Dim => d.dimValue ?? (d.dimParam !== undefined && d.dimParam !== '' ? d.dimParam : null));
    return tensorOf(tensor.elemType, shape);
  }
  if (type.sequenceType) return { kind: 'sequence', elem: typeFromProto(type.sequenceType.elemType) };
  if (type.optionalType) return { kind: 'optional', elem: typeFromProto(type.optionalType.elemType) };
  return { kind: 'other', description: type.mapType ? 'map' : 'opaque' };
}
