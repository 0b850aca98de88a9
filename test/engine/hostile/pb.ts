/**
 * A tiny protobuf writer for building hostile ONNX files byte by byte, independent of the codec
 * under test (so a bug in the codec's encoder cannot hide a bug in its decoder).
 */

export type Field = Uint8Array;

/** Unsigned varint of a bigint or non-negative number (any length the caller wants, up to 64 bits). */
export function varint(v: number | bigint): Uint8Array {
  let u = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return Uint8Array.from(out);
}

export function cat(...parts: readonly Uint8Array[]): Uint8Array {
  return concat(parts);
}

/** Concatenation of a list of any length (no argument spreading). */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function tag(no: number, wireType: number): Uint8Array {
  return varint(BigInt(no) * 8n + BigInt(wireType));
}

const utf8 = new TextEncoder();

/** Length-delimited field (wire type 2) holding bytes, a string or concatenated sub-fields. */
export function ld(no: number, ...payload: readonly (Uint8Array | string)[]): Uint8Array {
  const body = concat(payload.map((p) => (typeof p === 'string' ? utf8.encode(p) : p)));
  return cat(tag(no, 2), varint(body.length), body);
}

/** Varint field (wire type 0). */
export function vi(no: number, v: number | bigint): Uint8Array {
  return cat(tag(no, 0), varint(v));
}

export function f32(no: number, v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return cat(tag(no, 5), b);
}

/** Packed repeated varints. */
export function packed(no: number, values: readonly (number | bigint)[]): Uint8Array {
  return ld(no, cat(...values.map((v) => varint(v))));
}

export function floatBytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

// ONNX field numbers, from onnx.proto (written out here rather than imported from the codec).
export const Model = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8, metadataProps: 14, functions: 25 } as const;
export const Graph = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
export const Node = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const Attribute = { name: 1, f: 2, i: 3, s: 4, t: 5, g: 6, ints: 8, type: 20 } as const;
export const Tensor = { dims: 1, dataType: 2, floatData: 4, int32Data: 5, int64Data: 7, name: 8, rawData: 9, externalData: 13, dataLocation: 14 } as const;
export const ValueInfo = { name: 1, type: 2 } as const;
export const TypeProto = { tensorType: 1 } as const;
export const TypeTensor = { elemType: 1, shape: 2 } as const;
export const Shape = { dim: 1 } as const;
export const Dim = { dimValue: 1, dimParam: 2 } as const;
export const OpsetId = { domain: 1, version: 2 } as const;
export const Entry = { key: 1, value: 2 } as const;

export function entry(no: number, key: string, value: string): Uint8Array {
  return ld(no, ld(Entry.key, key), ld(Entry.value, value));
}

/** ValueInfo of a float tensor with fixed dims. */
export function valueInfo(no: number, name: string, dims: readonly (number | string)[], elemType = 1): Uint8Array {
  const dimFields = dims.map((d) => ld(Shape.dim, typeof d === 'number' ? vi(Dim.dimValue, d) : ld(Dim.dimParam, d)));
  return ld(no, ld(ValueInfo.name, name), ld(ValueInfo.type, ld(TypeProto.tensorType, vi(TypeTensor.elemType, elemType), ld(TypeTensor.shape, ...dimFields))));
}

/** A whole model: IR 8, opset 17 of the default domain, plus `graphFields` and `extra` model fields. */
export function model(graphFields: readonly Uint8Array[], extra: readonly Uint8Array[] = []): Uint8Array {
  return concat([vi(Model.irVersion, 8), ld(Model.producerName, 'hostile'), ld(Model.graph, concat(graphFields)), ld(Model.opsetImport, vi(OpsetId.version, 17)), ...extra]);
}
