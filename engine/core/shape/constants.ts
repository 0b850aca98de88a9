import { DataType } from '../onnx/data-types.js';
import { isExternal, tensorElementCount, tensorValues } from '../onnx/tensor.js';
import type { TensorProto } from '../onnx/types.js';
import { tensorOf, type Dim, type TensorType } from './types.js';

/**
 * Largest constant whose contents shape inference reads. Shape arithmetic works on tensors of a
 * few elements; reading weights would cost time and memory for nothing.
 */
export const MAX_KNOWN_ELEMENTS = 1024;

const NUMERIC_CONTENTS = new Set<number>([
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.INT8,
  DataType.UINT8,
  DataType.INT16,
  DataType.UINT16,
  DataType.INT32,
  DataType.UINT32,
  DataType.INT64,
  DataType.UINT64,
  DataType.BOOL,
]);

/** The type of a constant tensor, with its contents when small and numeric. */
export function constantType(t: TensorProto): TensorType {
  const count = tensorElementCount(t);
  if (count > MAX_KNOWN_ELEMENTS || isExternal(t) || !NUMERIC_CONTENTS.has(t.dataType)) return tensorOf(t.dataType, t.dims);
  const values = tensorValues(t);
  if (values === undefined || values.length < count) return tensorOf(t.dataType, t.dims);
  const value: Dim[] = new Array<Dim>(count);
  for (let i = 0; i < count; i++) value[i] = Number(values[i]);
  return tensorOf(t.dataType, t.dims, value);
}
