import { describe, expect, it } from 'vitest';
import {
  DataType,
  ModelFormatError,
  dataTypeInfo,
  decodeModel,
  decodeTensor,
  encodeModel,
  encodeTensor,
  tensorByteSize,
  tensorValues,
  type TensorProto,
} from '../../../engine/core/onnx/index.js';
import { attr, graph, leBytes, model, node, tensor, valueInfo, varintBytes } from '../../support/build.js';
import { halfToNumber, runBytes } from '../../support/ort.js';
import { protoDifference } from '../../support/proto-equal.js';

// Every ONNX element type, stored both ways ONNX allows (raw_data, and the typed field onnx.proto
// names for it), must survive encode → decode exactly; typed views must read the same elements
// either way; and onnxruntime, given the encoded bytes, must see the values a person computed.

const utf8 = new TextEncoder();

/** One element type: its raw_data bytes and its typed-field form, for the same elements. */
interface Case {
  readonly name: string;
  readonly dataType: number;
  readonly dims: number[];
  readonly raw: Uint8Array;
  readonly typed: Partial<TensorProto>;
  /** What tensorValues must give (undefined: no typed view for this type). */
  readonly values?: ArrayLike<number | bigint>;
  /** What onnxruntime outputs after Cast(to=float) (or Identity when `identity`), by hand. */
  readonly ort?: { readonly expected: ArrayLike<number | bigint | string>; readonly identity?: boolean };
}

const U64_MAX = 2n ** 64n - 1n;
const ABOVE_2_53 = 2n ** 53n + 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

const CASES: Case[] = [
  {
    name: 'float32',
    dataType: 1,
    dims: [4],
    raw: leBytes(new Float32Array([1.5, -2, 3.4028234663852886e38, 1e-45])),
    typed: { floatData: [leBytes(new Float32Array([1.5, -2, 3.4028234663852886e38, 1e-45]))] },
    values: new Float32Array([1.5, -2, 3.4028234663852886e38, 1e-45]),
    ort: { expected: new Float32Array([1.5, -2, 3.4028234663852886e38, 1e-45]), identity: true },
  },
  {
    name: 'float64',
    dataType: 11,
    dims: [3],
    raw: leBytes(new Float64Array([0.1, -1e300, 5e-324])),
    typed: { doubleData: [leBytes(new Float64Array([0.1, -1e300, 5e-324]))] },
    values: new Float64Array([0.1, -1e300, 5e-324]),
    ort: { expected: new Float64Array([0.1, -1e300, 5e-324]), identity: true },
  },
  {
    // 1.0, -2.0, 65504 (largest half), 2^-24 (smallest subnormal); int32_data holds the bit patterns.
    name: 'float16',
    dataType: 10,
    dims: [4],
    raw: leBytes(new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001])),
    typed: { int32Data: [varintBytes([0x3c00, 0xc000, 0x7bff, 0x0001])] },
    values: new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001]),
    ort: { expected: [1, -2, 65504, 2 ** -24] },
  },
  {
    // bfloat16 is the top half of a float32: 1.0 = 0x3F80, -3.0 = 0xC040, 2^-126 = 0x0080.
    name: 'bfloat16',
    dataType: 16,
    dims: [3],
    raw: leBytes(new Uint16Array([0x3f80, 0xc040, 0x0080])),
    typed: { int32Data: [varintBytes([0x3f80, 0xc040, 0x0080])] },
    values: new Uint16Array([0x3f80, 0xc040, 0x0080]),
    ort: { expected: [1, -3, 2 ** -126] },
  },
  {
    // e4m3fn, bias 7: 0x38 = 1.0, 0xC0 = -2.0, 0x7E = 448 (largest finite), 0x01 = 2^-9.
    name: 'float8e4m3fn',
    dataType: 17,
    dims: [4],
    raw: Uint8Array.from([0x38, 0xc0, 0x7e, 0x01]),
    typed: { int32Data: [varintBytes([0x38, 0xc0, 0x7e, 0x01])] },
    ort: { expected: [1, -2, 448, 2 ** -9] },
  },
  {
    // e4m3fnuz, bias 8: 0x40 = 1.0, 0xC8 = -2.0, 0x7F = 240.
    name: 'float8e4m3fnuz',
    dataType: 18,
    dims: [3],
    raw: Uint8Array.from([0x40, 0xc8, 0x7f]),
    typed: { int32Data: [varintBytes([0x40, 0xc8, 0x7f])] },
    ort: { expected: [1, -2, 240] },
  },
  {
    // e5m2, bias 15: 0x3C = 1.0, 0xC0 = -2.0, 0x7B = 57344, 0x7C = +inf.
    name: 'float8e5m2',
    dataType: 19,
    dims: [4],
    raw: Uint8Array.from([0x3c, 0xc0, 0x7b, 0x7c]),
    typed: { int32Data: [varintBytes([0x3c, 0xc0, 0x7b, 0x7c])] },
    ort: { expected: [1, -2, 57344, Infinity] },
  },
  {
    // e5m2fnuz, bias 16: 0x40 = 1.0, 0xC4 = -2.0.
    name: 'float8e5m2fnuz',
    dataType: 20,
    dims: [2],
    raw: Uint8Array.from([0x40, 0xc4]),
    typed: { int32Data: [varintBytes([0x40, 0xc4])] },
    ort: { expected: [1, -2] },
  },
  {
    // [1, -2, 7, -8, 3]: two per byte, first in the low nibble: 0xE1, 0x87, 0x03.
    name: 'int4',
    dataType: 22,
    dims: [5],
    raw: Uint8Array.from([0xe1, 0x87, 0x03]),
    typed: { int32Data: [varintBytes([0xe1, 0x87, 0x03])] },
    ort: { expected: [1, -2, 7, -8, 3] },
  },
  {
    // [1, 15, 0]: 0xF1, 0x00.
    name: 'uint4',
    dataType: 21,
    dims: [3],
    raw: Uint8Array.from([0xf1, 0x00]),
    typed: { int32Data: [varintBytes([0xf1, 0x00])] },
    ort: { expected: [1, 15, 0] },
  },
  {
    name: 'bool',
    dataType: 9,
    dims: [3],
    raw: Uint8Array.from([1, 0, 1]),
    typed: { int32Data: [varintBytes([1, 0, 1])] },
    values: Uint8Array.from([1, 0, 1]),
    ort: { expected: Uint8Array.from([1, 0, 1]), identity: true },
  },
  {
    name: 'int8',
    dataType: 3,
    dims: [3],
    raw: leBytes(new Int8Array([-128, 127, -1])),
    typed: { int32Data: [varintBytes([-128, 127, -1])] },
    values: new Int8Array([-128, 127, -1]),
    ort: { expected: new Int8Array([-128, 127, -1]), identity: true },
  },
  {
    name: 'uint8',
    dataType: 2,
    dims: [2],
    raw: Uint8Array.from([0, 255]),
    typed: { int32Data: [varintBytes([0, 255])] },
    values: Uint8Array.from([0, 255]),
    ort: { expected: Uint8Array.from([0, 255]), identity: true },
  },
  {
    name: 'int16',
    dataType: 5,
    dims: [2],
    raw: leBytes(new Int16Array([-32768, 32767])),
    typed: { int32Data: [varintBytes([-32768, 32767])] },
    values: new Int16Array([-32768, 32767]),
    ort: { expected: new Int16Array([-32768, 32767]), identity: true },
  },
  {
    name: 'uint16',
    dataType: 4,
    dims: [2],
    raw: leBytes(new Uint16Array([0, 65535])),
    typed: { int32Data: [varintBytes([0, 65535])] },
    values: new Uint16Array([0, 65535]),
    ort: { expected: new Uint16Array([0, 65535]), identity: true },
  },
  {
    name: 'int32',
    dataType: 6,
    dims: [3],
    raw: leBytes(new Int32Array([-2147483648, 2147483647, -7])),
    typed: { int32Data: [varintBytes([-2147483648, 2147483647, -7])] },
    values: new Int32Array([-2147483648, 2147483647, -7]),
    ort: { expected: new Int32Array([-2147483648, 2147483647, -7]), identity: true },
  },
  {
    // onnx.proto keeps uint32 in uint64_data.
    name: 'uint32',
    dataType: 12,
    dims: [2],
    raw: leBytes(new Uint32Array([0, 4294967295])),
    typed: { uint64Data: [varintBytes([0, 4294967295])] },
    values: new Uint32Array([0, 4294967295]),
    ort: { expected: new Uint32Array([0, 4294967295]), identity: true },
  },
  {
    name: 'int64 (negative and extreme)',
    dataType: 7,
    dims: [4],
    raw: leBytes(new BigInt64Array([-1n, I64_MIN, I64_MAX, -5n])),
    typed: { int64Data: [varintBytes([-1n, I64_MIN, I64_MAX, -5n])] },
    values: new BigInt64Array([-1n, I64_MIN, I64_MAX, -5n]),
    ort: { expected: new BigInt64Array([-1n, I64_MIN, I64_MAX, -5n]), identity: true },
  },
  {
    name: 'uint64 (beyond 2^53)',
    dataType: 13,
    dims: [3],
    raw: leBytes(new BigUint64Array([U64_MAX, ABOVE_2_53, 0n])),
    typed: { uint64Data: [varintBytes([U64_MAX, ABOVE_2_53, 0n])] },
    values: new BigUint64Array([U64_MAX, ABOVE_2_53, 0n]),
    ort: { expected: new BigUint64Array([U64_MAX, ABOVE_2_53, 0n]), identity: true },
  },
  {
    // Two floats per element, real part first.
    name: 'complex64',
    dataType: 14,
    dims: [2],
    raw: leBytes(new Float32Array([1, -1, 0.5, 2])),
    typed: { floatData: [leBytes(new Float32Array([1, -1, 0.5, 2]))] },
  },
  {
    name: 'complex128',
    dataType: 15,
    dims: [1],
    raw: leBytes(new Float64Array([0.1, -0.2])),
    typed: { doubleData: [leBytes(new Float64Array([0.1, -0.2]))] },
  },
  {
    // float4 e2m1: 0x2 = 1.0 (low nibble), 0xC = -2.0 (high nibble) → 0xC2.
    name: 'float4e2m1',
    dataType: 23,
    dims: [2],
    raw: Uint8Array.from([0xc2]),
    typed: { int32Data: [varintBytes([0xc2])] },
  },
  {
    // e8m0: 127 = 2^0.
    name: 'float8e8m0',
    dataType: 24,
    dims: [2],
    raw: Uint8Array.from([127, 128]),
    typed: { int32Data: [varintBytes([127, 128])] },
  },
  {
    // Four 2-bit elements per byte, the first in the lowest bits: [1, 2, 3, 0] → 0b00_11_10_01.
    name: 'uint2',
    dataType: 25,
    dims: [4],
    raw: Uint8Array.from([0b00_11_10_01]),
    typed: { int32Data: [varintBytes([0b00_11_10_01])] },
  },
  {
    name: 'int2',
    dataType: 26,
    dims: [5],
    raw: Uint8Array.from([0b11_10_01_00, 0b01]),
    typed: { int32Data: [varintBytes([0b11_10_01_00, 0b01])] },
  },
];

function roundTrip(t: TensorProto): TensorProto {
  return decodeTensor(encodeTensor(t));
}

describe('tensor data types', () => {
  it('covers every data type the schema defines', () => {
    const covered = new Set(CASES.map((c) => c.dataType));
    covered.add(DataType.STRING); // tested on its own below
    for (let id = 1; dataTypeInfo(id) !== undefined; id++) expect(covered.has(id), `data type ${id} (${dataTypeInfo(id)!.name})`).toBe(true);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: raw_data and typed field round-trip exactly and read the same', (_name, c) => {
    const raw = tensor({ name: 'raw', dataType: c.dataType, dims: c.dims, rawData: c.raw });
    const typed = tensor({ name: 'typed', dataType: c.dataType, dims: c.dims, ...c.typed });
    for (const t of [raw, typed]) {
      const back = roundTrip(t);
      expect(protoDifference(t, back)).toBeUndefined();
      expect(tensorByteSize(back)).toBe(c.raw.length);
    }
    const [fromRaw, fromTyped] = [tensorValues(roundTrip(raw)), tensorValues(roundTrip(typed))];
    if (c.values === undefined) {
      expect(fromRaw).toBeUndefined();
      expect(fromTyped).toBeUndefined();
    } else {
      expect(fromRaw).toEqual(c.values);
      expect(fromTyped).toEqual(c.values);
    }
  });

  it('string: UTF-8 elements, empty ones included, round-trip as bytes', () => {
    const elements = ['hello', '', 'ünïcødé ✓', '\u0000nul inside'];
    const t = tensor({ name: 's', dataType: DataType.STRING, dims: [2, 2], stringData: elements.map((s) => utf8.encode(s)) });
    const back = roundTrip(t);
    expect(protoDifference(t, back)).toBeUndefined();
    expect(back.stringData.map((b) => new TextDecoder().decode(b))).toEqual(elements);
    expect(tensorValues(back)).toBeUndefined();
  });

  it('uint64 and int64 beyond 2^53 stay exact in tensorValues', () => {
    const u = tensorValues(roundTrip(tensor({ dataType: 13, dims: [2], uint64Data: [varintBytes([U64_MAX, ABOVE_2_53])] })));
    expect(u).toBeInstanceOf(BigUint64Array);
    expect([...(u as BigUint64Array)]).toEqual([18446744073709551615n, 9007199254740993n]);
    const i = tensorValues(roundTrip(tensor({ dataType: 7, dims: [1], int64Data: [varintBytes([-9007199254740993n])] })));
    expect([...(i as BigInt64Array)]).toEqual([-9007199254740993n]);
  });

  it('raw_data is a view into the decoded buffer, not a copy', () => {
    const bytes = encodeTensor(tensor({ dataType: 1, dims: [2], rawData: leBytes(new Float32Array([1, 2])) }));
    const back = decodeTensor(bytes);
    expect(back.rawData!.buffer).toBe(bytes.buffer);
  });

  it.each([
    ['raw_data too short for float32 [3]', tensor({ dataType: 1, dims: [3], rawData: new Uint8Array(8) }), /raw_data has 8 bytes; dims \[3\] of float32 need 12/],
    ['int4 [5] packed into 2 bytes', tensor({ dataType: 22, dims: [5], rawData: new Uint8Array(2) }), /raw_data has 2 bytes; dims \[5\] of int4 need 3/],
    ['int64_data with 2 values for dims [3]', tensor({ dataType: 7, dims: [3], int64Data: [varintBytes([1, 2])] }), /int64_data holds 2 values; dims \[3\] need 3/],
    ['string tensor in raw_data', tensor({ dataType: 8, dims: [1], rawData: new Uint8Array(1) }), /string tensors cannot use raw_data/],
    ['unknown data type with data', tensor({ dataType: 99, dims: [1], rawData: new Uint8Array(1) }), /data type 99 is not an ONNX type/],
  ])('refuses %s with a typed error naming the tensor', (_label, t, message) => {
    const bytes = encodeModel(model(graph({ initializer: [{ ...t, name: 'w' }] })));
    let caught: unknown;
    try {
      decodeModel(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ModelFormatError);
    expect((caught as ModelFormatError).code).toBe('bad-tensor');
    expect((caught as ModelFormatError).fieldPath).toBe('graph.initializer[0]');
    expect((caught as ModelFormatError).message).toMatch(message);
  });
});

describe('tensor data types in onnxruntime', () => {
  const runnable = CASES.filter((c) => c.ort !== undefined);

  it.each(runnable.map((c) => [c.name, c] as const))('%s: onnxruntime reads the encoded initializers as the values computed by hand', async (_name, c) => {
    const out = c.ort!.identity ? c.dataType : DataType.FLOAT;
    const g = graph({
      initializer: [
        tensor({ name: 'raw', dataType: c.dataType, dims: c.dims, rawData: c.raw }),
        tensor({ name: 'typed', dataType: c.dataType, dims: c.dims, ...c.typed }),
      ],
      node: ['raw', 'typed'].map((n) => (c.ort!.identity ? node('Identity', [n], [`${n}_out`]) : node('Cast', [n], [`${n}_out`], [attr.int('to', DataType.FLOAT)]))),
      output: [valueInfo('raw_out', out, c.dims), valueInfo('typed_out', out, c.dims)],
    });
    const result = await runBytes(encodeModel(model(g)), {});
    if ('error' in result) throw new Error(result.error);
    for (const name of ['raw_out', 'typed_out']) {
      const got = result.outputs[name]!;
      expect(got.dims).toEqual(c.dims);
      const values = got.type === 'float16' ? Array.from(got.data as Uint16Array, halfToNumber) : Array.from(got.data as ArrayLike<number | bigint>);
      expect(values, name).toEqual(Array.from(c.ort!.expected));
    }
  });

  it('string: onnxruntime reads the encoded string initializer', async () => {
    const elements = ['hello', '', 'ünïcødé ✓'];
    const g = graph({
      initializer: [tensor({ name: 's', dataType: DataType.STRING, dims: [3], stringData: elements.map((s) => utf8.encode(s)) })],
      node: [node('Identity', ['s'], ['out'])],
      output: [valueInfo('out', DataType.STRING, [3])],
    });
    const result = await runBytes(encodeModel(model(g)), {});
    if ('error' in result) throw new Error(result.error);
    expect(result.outputs.out!.data).toEqual(elements);
  });
});
