import { dataTypeInfo, rawByteLength, type DataTypeInfo } from './data-types.js';
import { ModelFormatError } from './errors.js';
import { DataLocation, type TensorProto } from './types.js';

/**
 * Number of elements of a tensor with these dims, refusing negative dims and counts beyond
 * 2^53 (which no real buffer can hold). Returns undefined for a bad shape.
 */
export function elementCount(dims: readonly number[]): number | undefined {
  let count = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) return undefined;
    count *= d;
    if (!Number.isSafeInteger(count)) return undefined;
  }
  return count;
}

function lazyLength(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

function varintCount(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++) if (c[i]! < 0x80) n++;
  return n;
}

/**
 * The data fields that hold something. A typed field counts by its bytes, not its chunks: an
 * empty packed field holds nothing (and the encoder drops it, so it must not count here either).
 */
function dataFields(t: TensorProto): string[] {
  const fields: string[] = [];
  if (t.rawData !== undefined) fields.push('raw_data');
  if (lazyLength(t.floatData) > 0) fields.push('float_data');
  if (lazyLength(t.doubleData) > 0) fields.push('double_data');
  if (lazyLength(t.int64Data) > 0) fields.push('int64_data');
  if (lazyLength(t.uint64Data) > 0) fields.push('uint64_data');
  if (t.stringData.length > 0) fields.push('string_data');
  if (lazyLength(t.int32Data) > 0) fields.push('int32_data');
  return fields;
}

/** How many elements the typed (non-raw) data field holds, in units of the data type's elements. */
function typedElementCount(t: TensorProto, info: DataTypeInfo | undefined, field: string | undefined): { field: string; count: number } | undefined {
  const complex = info?.name.startsWith('complex') ? 2 : 1;
  switch (field) {
    case 'float_data':
      return { field, count: lazyLength(t.floatData) / 4 / complex };
    case 'double_data':
      return { field, count: lazyLength(t.doubleData) / 8 / complex };
    case 'int64_data':
      return { field, count: varintCount(t.int64Data) };
    case 'uint64_data':
      return { field, count: varintCount(t.uint64Data) };
    case 'string_data':
      return { field, count: t.stringData.length };
    case 'int32_data':
      return { field, count: varintCount(t.int32Data) };
    default:
      return undefined;
  }
}

/**
 * Checks that a tensor's declared shape and its bytes agree, so later code can trust sizes.
 * External tensors are checked when their data is located (engine/node).
 */
export function checkTensor(t: TensorProto, path: string): void {
  const fail = (detail: string): never => {
    throw new ModelFormatError('bad-tensor', path, detail);
  };
  const count = elementCount(t.dims);
  if (count === undefined) fail(`dims [${t.dims.join(', ')}] are negative or their element count overflows`);
  if (t.dataLocation === DataLocation.EXTERNAL) return;
  const info = dataTypeInfo(t.dataType);
  // As onnx's checker: one data field at most. With two, which one holds the values is a guess
  // (and only the first would be size-checked).
  const fields = dataFields(t);
  if (fields.length > 1) fail(`holds data in both ${fields[0]} and ${fields[1]}; a tensor has one data field`);
  const hasData = fields.length > 0;
  if (info === undefined) {
    if (hasData) fail(`data type ${t.dataType} is not an ONNX type`);
    return;
  }
  if (t.segment !== undefined) return; // a chunk of a larger tensor: sizes refer to the whole
  if (t.rawData !== undefined) {
    if (info.bits === 0) fail('string tensors cannot use raw_data');
    const expected = rawByteLength(info, count!);
    if (t.rawData.length !== expected) {
      fail(`raw_data has ${t.rawData.length} bytes; dims [${t.dims.join(', ')}] of ${info.name} need ${expected}`);
    }
    return;
  }
  const typed = typedElementCount(t, info, fields[0]);
  if (typed === undefined) return; // no data at all: allowed for value-less tensors (e.g. type hints)
  // Sub-byte types (int4, float4…) store one packed byte per int32_data entry.
  const packedCount = info.bits > 0 && info.bits < 8 ? rawByteLength(info, count!) : count!;
  if (typed.count !== count && typed.count !== packedCount) {
    fail(`${typed.field} holds ${typed.count} values; dims [${t.dims.join(', ')}] need ${count}`);
  }
}
