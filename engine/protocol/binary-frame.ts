/**
 * Messages that hold typed arrays cross the WebSocket as one binary frame instead of JSON, so a
 * tensor travels as its raw bytes (JSON would turn 4 bytes of float32 into ~20 characters, and
 * cannot hold a BigInt64Array at all):
 *
 * ```
 * offset 0   "WHF1"                       magic and version, 4 ASCII bytes
 * offset 4   H                            header length in bytes, uint32 little-endian
 * offset 8   header                       H bytes of UTF-8 JSON: { message, arrays }
 * then       array bytes                  each at its byteOffset (from the frame's start), a multiple of 8
 * ```
 *
 * `message` is the message with `null` where each typed array was; `arrays` lists them as
 * `{ path, kind, byteOffset, length }`: the keys leading to the placeholder, the constructor name
 * (`Float32Array`…), where its bytes start and how many elements it has. Elements are in the
 * machine's byte order, little-endian on every platform Whittle runs on. A message without typed
 * arrays goes as a text frame of plain JSON.
 */
import { count, list, object, oneOf, ValidationError, type Validator } from './validate.js';
import { TYPED_ARRAYS, typedArrayKind, type TypedArray, type TypedArrayKind } from './tensor.js';

const MAGIC = [0x57, 0x48, 0x46, 0x31]; // "WHF1"
const PREFIX_BYTES = 8;
const ALIGN = 8;
const MAX_DEPTH = 64;

type PathStep = string | number;
interface ArrayEntry {
  readonly path: readonly PathStep[];
  readonly kind: TypedArrayKind;
  readonly byteOffset: number;
  readonly length: number;
}

/** Encodes a message: a string (JSON) when it holds no typed arrays, else a binary frame. */
export function encodeFrame(message: unknown): string | Uint8Array {
  const found: { path: PathStep[]; kind: TypedArrayKind; array: TypedArray }[] = [];
  collectArrays(message, [], found);
  const json = JSON.stringify(message, (_key, value: unknown) => (typedArrayKind(value) === undefined ? value : null));
  if (found.length === 0) return json;

  let end = 0;
  const arrays: ArrayEntry[] = [];
  const placed = found.map(({ path, kind, array }) => {
    const at = end;
    arrays.push({ path, kind, byteOffset: at, length: array.length });
    end = alignUp(at + array.byteLength);
    return { at, array };
  });
  // Offsets count from the frame's start, so they depend on the header's length, which depends on
  // the offsets' digits: grow the header's room until it fits.
  const headerFor = (bodyStart: number) =>
    new TextEncoder().encode(`{"message":${json},"arrays":${JSON.stringify(arrays.map((a) => ({ ...a, byteOffset: a.byteOffset + bodyStart })))}}`);
  let bodyStart = PREFIX_BYTES;
  let header = headerFor(bodyStart);
  while (alignUp(PREFIX_BYTES + header.length) > bodyStart) {
    bodyStart = alignUp(PREFIX_BYTES + header.length);
    header = headerFor(bodyStart);
  }

  const frame = new Uint8Array(bodyStart + end);
  frame.set(MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, header.length, true);
  frame.set(header, PREFIX_BYTES);
  for (const { at, array } of placed) frame.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), bodyStart + at);
  return frame;
}

function collectArrays(value: unknown, path: PathStep[], found: { path: PathStep[]; kind: TypedArrayKind; array: TypedArray }[]): void {
  if (typeof value !== 'object' || value === null || path.length > MAX_DEPTH) return;
  const kind = typedArrayKind(value);
  if (kind !== undefined) {
    found.push({ path, kind, array: value as TypedArray });
    return;
  }
  if (Array.isArray(value)) value.forEach((item, i) => collectArrays(item, [...path, i], found));
  else for (const [key, item] of Object.entries(value)) collectArrays(item, [...path, key], found);
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

const pathStep: Validator<PathStep> = (value, at) => {
  if (typeof value === 'number') return count(value, at);
  if (typeof value !== 'string') throw new ValidationError(at, 'must be a key or an index');
  if (value === '__proto__' || value === 'constructor' || value === 'prototype') throw new ValidationError(at, `may not be "${value}"`);
  return value;
};

const header = object({
  message: (value: unknown) => value,
  arrays: list(object({ path: list(pathStep, MAX_DEPTH), kind: oneOf(Object.keys(TYPED_ARRAYS) as TypedArrayKind[]), byteOffset: count, length: count }), 1_000_000),
});

/** Decodes a binary frame made by {@link encodeFrame}; throws a {@link ValidationError} saying what is wrong with it. */
export function decodeFrame(bytes: Uint8Array): unknown {
  if (bytes.length < PREFIX_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) throw new ValidationError('frame', 'is not a Whittle binary frame');
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (PREFIX_BYTES + headerBytes > bytes.length) throw new ValidationError('frame', 'is shorter than its header says');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)));
  } catch {
    throw new ValidationError('frame.header', 'is not UTF-8 JSON');
  }
  const { message, arrays } = header(parsed, 'frame.header');
  const bodyStart = PREFIX_BYTES + headerBytes;
  arrays.forEach((entry, i) => place(message, entry.path, viewOf(bytes, entry, bodyStart, `frame.header.arrays[${i}]`), `frame.header.arrays[${i}].path`));
  return message;
}

function viewOf(bytes: Uint8Array, { kind, byteOffset, length }: ArrayEntry, bodyStart: number, at: string): TypedArray {
  const Ctor = TYPED_ARRAYS[kind];
  const byteLength = length * Ctor.BYTES_PER_ELEMENT;
  if (byteOffset < bodyStart || byteOffset % Ctor.BYTES_PER_ELEMENT !== 0 || byteOffset + byteLength > bytes.length) {
    throw new ValidationError(at, 'points outside the frame or is misaligned');
  }
  const start = bytes.byteOffset + byteOffset;
  // Views need aligned memory; a frame that arrived in a pooled buffer may not be, so copy then.
  const source = start % Ctor.BYTES_PER_ELEMENT === 0 ? bytes : bytes.slice(byteOffset, byteOffset + byteLength);
  const offset = source === bytes ? start : 0;
  return new Ctor(source.buffer as ArrayBuffer, offset, length);
}

function place(message: unknown, path: readonly PathStep[], array: TypedArray, at: string): void {
  if (path.length === 0) throw new ValidationError(at, 'must not be empty');
  let holder: unknown = message;
  for (const [i, step] of path.entries()) {
    if (typeof holder !== 'object' || holder === null || !Object.hasOwn(holder, step)) throw new ValidationError(at, 'does not lead to a placeholder');
    if (i === path.length - 1) {
      if ((holder as Record<PathStep, unknown>)[step] !== null) throw new ValidationError(at, 'does not lead to a placeholder');
      (holder as Record<PathStep, unknown>)[step] = array;
    } else holder = (holder as Record<PathStep, unknown>)[step];
  }
}
