import { ModelFormatError } from './errors.js';
import { SCHEMA, isLazyKind, isMessageKind, type FieldSpec, type MessageName } from './schema.js';
import { checkTensor } from './tensor-check.js';
import type { ModelProto, TensorProto } from './types.js';
import { WireReader, WireType } from './wire.js';

/** Deepest message nesting accepted, as C++ protobuf's default recursion limit. */
export const MAX_NESTING_DEPTH = 100;

const utf8 = new TextDecoder('utf-8');

type Decoded = Record<string, unknown> & { unknownFields?: Uint8Array[] };

interface MessageLayout {
  byNumber: Map<number, FieldSpec>;
  make: () => Decoded;
}

const LAYOUTS = new Map<MessageName, MessageLayout>(
  (Object.keys(SCHEMA) as MessageName[]).map((name) => [name, layoutOf(SCHEMA[name])]),
);

/**
 * Prototype of every decoded object: empty, frozen, and itself without a prototype, so no key
 * (`__proto__`, `constructor`…) can reach Object.prototype. Not Object.create(null) objects:
 * V8 keeps those in dictionary mode, which made an empty node cost ~650 bytes of heap and a
 * 2 MB file of empty nodes take seconds to decode.
 */
const DECODED_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

function layoutOf(fields: readonly FieldSpec[]): MessageLayout {
  const byNumber = new Map(fields.map((spec) => [spec.no, spec]));
  // Defaults worked out once per message type, not per decoded object.
  const defaults: [name: string, value: '' | 0 | undefined][] = [];
  for (const spec of fields) {
    if (spec.repeated || isLazyKind(spec.kind)) defaults.push([spec.name, undefined]);
    else if (!spec.presence && !isMessageKind(spec.kind)) defaults.push([spec.name, spec.kind === 'string' ? '' : 0]);
  }
  const make = (): Decoded => {
    const obj: Decoded = Object.create(DECODED_PROTOTYPE) as Decoded;
    for (const [name, value] of defaults) obj[name] = value === undefined ? [] : value;
    return obj;
  };
  return { byNumber, make };
}

/** Wire type each scalar kind is written with when not packed. */
function elementWireType(kind: FieldSpec['kind']): WireType {
  switch (kind) {
    case 'float':
    case 'lazyFloat':
      return WireType.Fixed32;
    case 'double':
    case 'lazyDouble':
      return WireType.Fixed64;
    case 'string':
    case 'bytes':
      return WireType.LengthDelimited;
    default:
      return isMessageKind(kind) ? WireType.LengthDelimited : WireType.Varint;
  }
}

function readScalar(r: WireReader, kind: FieldSpec['kind']): unknown {
  switch (kind) {
    case 'string':
      return utf8.decode(r.bytes());
    case 'bytes':
      return r.bytes();
    case 'int32':
      return r.int32();
    case 'int64':
      return r.int64();
    case 'int64big':
      return r.int64Big();
    case 'uint64big':
      return BigInt.asUintN(64, r.int64Big());
    case 'float':
      return r.float();
    case 'double':
      return r.double();
    default:
      throw new Error(`not a scalar kind: ${kind}`);
  }
}

/** Checks that a packed lazy payload is well formed, without decoding it into numbers. */
function checkPacked(r: WireReader, kind: FieldSpec['kind'], payload: Uint8Array, at: number): void {
  const width = kind === 'lazyFloat' ? 4 : kind === 'lazyDouble' ? 8 : 0;
  if (width > 0) {
    if (payload.length % width !== 0) r.fail('truncated', `packed payload of ${payload.length} bytes is not a multiple of ${width}`, at);
    return;
  }
  let run = 0;
  for (let i = 0; i < payload.length; i++) {
    run = payload[i]! >= 0x80 ? run + 1 : 0;
    if (run >= 10) r.fail('bad-varint', 'varint longer than 10 bytes in packed payload', at);
  }
  if (run > 0) r.fail('truncated', 'packed payload ends inside a varint', at);
}

/** Reads one occurrence of a non-message field into `obj`; errors name the field. */
function readScalarField(r: WireReader, spec: FieldSpec, wt: number, obj: Decoded): void {
  const at = r.pos;
  try {
    if (isLazyKind(spec.kind)) {
      const chunk = wt === WireType.LengthDelimited ? r.bytes() : r.skip(wt);
      if (wt === WireType.LengthDelimited) checkPacked(r, spec.kind, chunk, at);
      (obj[spec.name] as Uint8Array[]).push(chunk);
    } else if (spec.repeated && wt === WireType.LengthDelimited && spec.kind !== 'string' && spec.kind !== 'bytes') {
      const payload = r.bytes();
      const start = payload.byteOffset - r.buf.byteOffset;
      const packed = new WireReader(r.buf, start, start + payload.length, r.path);
      const list = obj[spec.name] as unknown[];
      while (packed.pos < packed.end) list.push(readScalar(packed, spec.kind));
    } else if (spec.repeated) {
      (obj[spec.name] as unknown[]).push(readScalar(r, spec.kind));
    } else {
      obj[spec.name] = readScalar(r, spec.kind);
    }
  } catch (err) {
    if (err instanceof ModelFormatError && err.fieldPath === r.path) {
      throw new ModelFormatError(err.code, `${r.path === '' ? '' : `${r.path}.`}${spec.name}`, err.detail, err.byteOffset);
    }
    throw err;
  }
}

function decodeMessage(r: WireReader, name: MessageName, depth: number): Decoded {
  if (depth > MAX_NESTING_DEPTH) r.fail('too-deep', `messages nested deeper than ${MAX_NESTING_DEPTH}`);
  const layout = LAYOUTS.get(name)!;
  const obj = layout.make();
  let counts: Map<number, number> | undefined;
  while (r.pos < r.end) {
    const tagAt = r.pos;
    const tag = r.uint();
    const no = Math.floor(tag / 8);
    const wt = tag % 8;
    if (no === 0) r.fail('bad-value', 'field number 0 is not allowed', tagAt);
    const spec = layout.byNumber.get(no);
    if (spec === undefined) {
      r.skip(wt);
      (obj.unknownFields ??= []).push(r.buf.subarray(tagAt, r.pos));
      continue;
    }
    const expected = elementWireType(spec.kind);
    const packable = (spec.repeated || isLazyKind(spec.kind)) && expected !== WireType.LengthDelimited;
    if (wt !== expected && !(packable && wt === WireType.LengthDelimited)) {
      r.fail('bad-wire-type', `field ${spec.name} (#${no}) has wire type ${wt}, expected ${expected}`, tagAt);
    }
    if (isMessageKind(spec.kind)) {
      let index = 0;
      if (spec.repeated) {
        counts ??= new Map();
        index = counts.get(no) ?? 0;
        counts.set(no, index + 1);
      }
      const payload = r.bytes();
      const start = payload.byteOffset - r.buf.byteOffset;
      const path = `${r.path === '' ? '' : `${r.path}.`}${spec.name}${spec.repeated ? `[${index}]` : ''}`;
      const child = new WireReader(r.buf, start, start + payload.length, path);
      const value = decodeMessage(child, spec.kind, depth + 1);
      if (spec.repeated) (obj[spec.name] as unknown[]).push(value);
      else obj[spec.name] = value;
    } else {
      readScalarField(r, spec, wt, obj);
    }
  }
  if (name === 'Tensor') checkTensor(obj as unknown as TensorProto, r.path);
  return obj;
}

function decodeRoot(bytes: Uint8Array, name: MessageName, rootPath: string): Decoded {
  if (bytes.length === 0) throw new ModelFormatError('empty', rootPath, 'the file is empty');
  return decodeMessage(new WireReader(bytes, 0, bytes.length, rootPath), name, 0);
}

/**
 * Decodes an ONNX model. Byte fields (tensor data above all) stay views into `bytes`; the caller
 * must keep `bytes` unchanged while the model is in use. Throws {@link ModelFormatError}.
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const model = decodeRoot(bytes, 'Model', '') as unknown as ModelProto;
  if (model.graph === undefined) {
    throw new ModelFormatError('bad-value', 'graph', 'the model has no graph: this does not look like an ONNX model');
  }
  return model;
}

/** Decodes a serialized TensorProto (the `.pb` files of ONNX test data). */
export function decodeTensor(bytes: Uint8Array): TensorProto {
  return decodeRoot(bytes, 'Tensor', 'tensor') as unknown as TensorProto;
}
