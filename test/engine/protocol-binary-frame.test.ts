import { describe, expect, it } from 'vitest';
import { TYPED_ARRAYS, ValidationError, decodeFrame, encodeFrame, type TypedArrayKind } from '../../engine/protocol/index.js';

const SAMPLES: Record<TypedArrayKind, () => ArrayLike<unknown>> = {
  Int8Array: () => new Int8Array([-128, -1, 0, 1, 127]),
  Uint8Array: () => new Uint8Array([0, 1, 254, 255]),
  Uint8ClampedArray: () => new Uint8ClampedArray([0, 128, 255]),
  Int16Array: () => new Int16Array([-32768, -1, 0, 32767]),
  Uint16Array: () => new Uint16Array([0, 0x3c00, 0xffff]),
  Int32Array: () => new Int32Array([-(2 ** 31), -1, 0, 2 ** 31 - 1]),
  Uint32Array: () => new Uint32Array([0, 1, 2 ** 32 - 1]),
  Float32Array: () => new Float32Array([0, -0, 1.5, -3.25, Number.NaN, Infinity, 1e-40]),
  Float64Array: () => new Float64Array([Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE, Number.NaN]),
  BigInt64Array: () => new BigInt64Array([-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n]),
  BigUint64Array: () => new BigUint64Array([0n, 2n ** 64n - 1n]),
};

function frameOf(message: unknown): Uint8Array {
  const frame = encodeFrame(message);
  if (typeof frame === 'string') throw new Error('expected a binary frame');
  return frame;
}

/** The frame as `ws` hands it over: inside a larger pooled buffer, at an odd offset. */
function misaligned(frame: Uint8Array): Uint8Array {
  const pool = new Uint8Array(frame.length + 3);
  pool.set(frame, 3);
  return pool.subarray(3);
}

describe('binary frames', () => {
  it('sends messages without typed arrays as plain JSON text', () => {
    const message = { type: 'response', id: 1, result: { a: [1, 'x', null] } };
    expect(encodeFrame(message)).toBe(JSON.stringify(message));
  });

  it.each(Object.keys(TYPED_ARRAYS) as TypedArrayKind[])('round-trips a %s exactly', (kind) => {
    const data = SAMPLES[kind]();
    const message = { type: 'response', id: 7, result: { name: 'w', dtype: kind, dims: [data.length], data } };
    for (const bytes of [frameOf(message), misaligned(frameOf(message))]) {
      const back = decodeFrame(bytes) as typeof message;
      expect(back.result.data).toBeInstanceOf(TYPED_ARRAYS[kind]);
      expect(Object.is(back.result.data, data)).toBe(false);
      expect(back).toEqual(message);
    }
  });

  it('carries several arrays, in arrays and nested objects, views included, aligned for zero-copy', () => {
    const big = new Float64Array([1, 2, 3, 4, 5, 6]);
    const message = { list: [new Uint8Array([1, 2, 3]), { deep: new Float64Array(big.buffer, 8, 3) }], other: new BigInt64Array([5n]), text: 'ok' };
    const frame = frameOf(message);
    const back = decodeFrame(frame) as typeof message;
    expect(back).toEqual({ list: [new Uint8Array([1, 2, 3]), { deep: new Float64Array([2, 3, 4]) }], other: new BigInt64Array([5n]), text: 'ok' });
    expect(back.list[1] && (back.list[1] as { deep: Float64Array }).deep.buffer).toBe(frame.buffer);
    expect(String.fromCharCode(...frame.subarray(0, 4))).toBe('WHF1');
  });

  it('keeps a large tensor as raw bytes: the frame is barely bigger than the data', () => {
    const data = new Float32Array(1 << 20).map((_, i) => Math.sin(i));
    const frame = frameOf({ type: 'response', id: 1, result: { data } });
    expect(frame.length).toBeLessThan(data.byteLength + 256);
    expect((decodeFrame(frame) as { result: { data: Float32Array } }).result.data).toEqual(data);
  });

  function corrupt(edit: (header: { message: unknown; arrays: { path: unknown[]; kind: string; byteOffset: number; length: number }[] }) => void): Uint8Array {
    // A long key leaves room to edit the header in place.
    const frame = frameOf({ a: { b: new Float32Array([1, 2]) }, roomForEdits: 'x'.repeat(40) });
    const length = new DataView(frame.buffer).getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(frame.subarray(8, 8 + length)));
    edit(header);
    delete (header.message as { roomForEdits?: string }).roomForEdits;
    const text = new TextEncoder().encode(JSON.stringify(header).padEnd(length, ' '));
    expect(text.length).toBe(length);
    const out = frame.slice();
    out.set(text, 8);
    return out;
  }

  it.each([
    ['a wrong magic', () => new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]), /not a Whittle binary frame/],
    ['a short frame', () => frameOf({ a: new Uint8Array(1) }).subarray(0, 10), /shorter than its header says/],
    ['a prototype path', () => corrupt((h) => (h.arrays[0]!.path = ['__proto__'])), /may not be "__proto__"/],
    ['a path to no placeholder', () => corrupt((h) => (h.arrays[0]!.path = ['a'])), /does not lead to a placeholder/],
    ['bytes outside the frame', () => corrupt((h) => (h.arrays[0]!.length = 99)), /outside the frame/],
    ['an unknown kind', () => corrupt((h) => (h.arrays[0]!.kind = 'Float16Array')), /kind: must be one of/],
  ])('refuses %s with a readable error', (_name, frame, detail) => {
    expect(() => decodeFrame(frame())).toThrow(ValidationError);
    expect(() => decodeFrame(frame())).toThrow(detail);
  });
});
