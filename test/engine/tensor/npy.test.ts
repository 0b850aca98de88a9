import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NpyFormatError, parseNpy, type NpyArray } from '../../../engine/core/tensor/npy.js';
import { halfToNumber } from '../../support/ort.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/npy');
const fixture = (name: string): Uint8Array => readFileSync(join(FIXTURES, name));

/** The formulas of test/fixtures/npy/README.md, element i of np.arange(24).reshape(2, 3, 4). */
const FORMULAS: Record<string, { dtype: string; value: (i: number) => number | bigint }> = {
  f2: { dtype: 'float16', value: (i) => (i - 12) / 8 },
  f4: { dtype: 'float32', value: (i) => Math.fround(i / 3) },
  f8: { dtype: 'float64', value: (i) => i / 3 - 4 },
  i1: { dtype: 'int8', value: (i) => (i - 12) * 10 },
  i2: { dtype: 'int16', value: (i) => (i - 12) * 1000 },
  i4: { dtype: 'int32', value: (i) => (i - 12) * 100_000_000 },
  i8: { dtype: 'int64', value: (i) => BigInt(i - 12) * 2n ** 58n + 1n },
  u1: { dtype: 'uint8', value: (i) => i * 10 },
  u2: { dtype: 'uint16', value: (i) => i * 2000 },
  u4: { dtype: 'uint32', value: (i) => i * 150_000_000 },
  u8: { dtype: 'uint64', value: (i) => BigInt(i) * 2n ** 59n + 1n },
  b1: { dtype: 'bool', value: (i) => (i % 3 === 0 ? 1 : 0) },
};

function values(array: NpyArray): (number | bigint)[] {
  return array.dtype === 'float16' ? Array.from(array.data as Uint16Array, halfToNumber) : Array.from(array.data as ArrayLike<number | bigint>);
}

const expected = (code: string): (number | bigint)[] => Array.from({ length: 24 }, (_, i) => FORMULAS[code]!.value(i));

/** An .npy file with the given header text, padded as NumPy pads it. */
function npy(header: string, data: Uint8Array = new Uint8Array(), version = 1): Uint8Array {
  const preamble = version === 1 ? 10 : 12;
  const padded = header.padEnd(Math.ceil((preamble + header.length + 1) / 64) * 64 - preamble - 1, ' ') + '\n';
  const bytes = new Uint8Array(preamble + padded.length + data.length);
  bytes.set([0x93, ...new TextEncoder().encode('NUMPY'), version, 0]);
  const view = new DataView(bytes.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  bytes.set(new TextEncoder().encode(padded), preamble);
  bytes.set(data, preamble + padded.length);
  return bytes;
}

const f4Header = (shape: string): string => `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;

describe('parseNpy on files NumPy wrote', () => {
  it.each(Object.keys(FORMULAS))('reads %s with its dtype, dims and values', (code) => {
    const array = parseNpy(fixture(`${code}.npy`));
    expect(array.dtype).toBe(FORMULAS[code]!.dtype);
    expect(array.dims).toEqual([2, 3, 4]);
    expect(values(array)).toEqual(expected(code));
  });

  it('gives float16 as bits, int64 as BigInt64Array, bool as bytes', () => {
    expect(parseNpy(fixture('f2.npy')).data).toBeInstanceOf(Uint16Array);
    expect(parseNpy(fixture('i8.npy')).data).toBeInstanceOf(BigInt64Array);
    expect(parseNpy(fixture('u8.npy')).data).toBeInstanceOf(BigUint64Array);
    expect(parseNpy(fixture('b1.npy')).data).toBeInstanceOf(Uint8Array);
    expect(parseNpy(fixture('f2.npy')).data[0]).toBe(0xbe00); // -1.5
  });

  it.each(['f4-v2.npy', 'f4-v3.npy'])('reads the header of format %s', (name) => {
    const array = parseNpy(fixture(name));
    expect(array.dims).toEqual([2, 3, 4]);
    expect(values(array)).toEqual(expected('f4'));
  });

  it('reorders a Fortran-order array to C order', () => {
    const array = parseNpy(fixture('i4-fortran.npy'));
    expect(array.dims).toEqual([2, 3, 4]);
    expect(Array.from(array.data as Int32Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('converts big-endian elements', () => {
    expect(values(parseNpy(fixture('f8-big.npy')))).toEqual(expected('f8'));
    expect(values(parseNpy(fixture('i8-big.npy')))).toEqual(expected('i8'));
    const half = parseNpy(fixture('f2-big-fortran.npy'));
    expect(half.dims).toEqual([2, 3, 4]);
    expect(values(half)).toEqual(expected('f2'));
  });

  it('reads a 0-d scalar and a shape with a 0 dim', () => {
    const scalar = parseNpy(fixture('scalar-f4.npy'));
    expect(scalar.dims).toEqual([]);
    expect(Array.from(scalar.data as Float32Array)).toEqual([3.5]);
    const empty = parseNpy(fixture('empty-f4.npy'));
    expect(empty.dims).toEqual([2, 0, 3]);
    expect(empty.data.length).toBe(0);
  });

  it('views aligned data in place and copies data that is not aligned for its type', () => {
    const bytes = fixture('f8.npy');
    const aligned = new Uint8Array(new ArrayBuffer(bytes.length + 8), 8);
    aligned.set(bytes);
    expect(parseNpy(aligned).data.buffer).toBe(aligned.buffer);
    const odd = new Uint8Array(new ArrayBuffer(bytes.length + 3), 3);
    odd.set(bytes);
    const copied = parseNpy(odd);
    expect(copied.data.buffer).not.toBe(odd.buffer);
    expect(values(copied)).toEqual(expected('f8'));
  });
});

describe('parseNpy on headers NumPy also accepts', () => {
  it('takes double quotes, Python 2 long integers, a 1-tuple and no trailing comma', () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    expect(parseNpy(npy(`{"descr": "<f4", "fortran_order": False, "shape": (3L,)}`, data)).dims).toEqual([3]);
    expect(parseNpy(npy(f4Header('(1, 3)'), data, 2)).dims).toEqual([1, 3]);
  });
});

describe('parseNpy refuses what it cannot read, saying why', () => {
  const f4 = (n: number): Uint8Array => new Uint8Array(4 * n);
  /** A copy of the bytes, edited. */
  const patched = (bytes: Uint8Array, edit: (copy: Uint8Array, view: DataView) => void): Uint8Array => {
    const copy = bytes.slice();
    edit(copy, new DataView(copy.buffer));
    return copy;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty bytes', new Uint8Array(), /not a \.npy file/],
    ['another format', new TextEncoder().encode('PK\x03\x04 this is a zip file'), /not a \.npy file/],
    ['the magic alone', new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]), /not a \.npy file/],
    ['version 4.0', npy(f4Header('(1,)'), f4(1), 4), /version 4\.0 is not supported/],
    ['version 1.1', patched(npy(f4Header('(1,)'), f4(1)), (b) => (b[7] = 1)), /version 1\.1/],
    ['a 2.0 preamble cut short', npy(f4Header('(1,)'), f4(1), 2).subarray(0, 11), /ends inside the 2\.0 preamble/],
    ['a header longer than the file', patched(npy(f4Header('(1,)'), f4(1)), (_, v) => v.setUint16(8, 0xffff, true)), /header says it takes 65535 bytes, but the file has only 122/],
    ['a 2.0 header of 4 GiB', patched(npy(f4Header('(1,)'), f4(1), 2), (_, v) => v.setUint32(8, 0xffffffff, true)), /header says it takes 4294967295 bytes/],
    ['a header that is not a dict', npy('hello'), /bad header: expected "\{"/],
    ['an unterminated dict', npy(`{'descr': '<f4', 'fortran_order': False`), /bad header: expected "\}"/],
    ['an unterminated string', npy(`{'descr: 1}`), /unterminated string/],
    ['a missing key', npy(`{'descr': '<f4', 'fortran_order': False}`), /'shape' is missing/],
    ['an unknown key', npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': True}`), /unexpected key "extra"/],
    ['a key given twice', npy(`{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}`), /key "descr" given twice/],
    ['fortran_order not a bool', npy(`{'descr': '<f4', 'fortran_order': 'no', 'shape': ()}`), /'fortran_order' is missing or not True\/False/],
    ['text after the dict', npy(`${f4Header('()')} import os`), /unexpected text after the dict/],
    ['a complex dtype', npy(`{'descr': '<c8', 'fortran_order': False, 'shape': ()}`, f4(2)), /element type '<c8' is not supported/],
    ['a string dtype', npy(`{'descr': '<U3', 'fortran_order': False, 'shape': ()}`, f4(3)), /element type '<U3' is not supported/],
    ['an object dtype', npy(`{'descr': '|O', 'fortran_order': False, 'shape': ()}`, f4(2)), /element type '\|O' is not supported/],
    ['a native-order dtype', npy(`{'descr': '=f4', 'fortran_order': False, 'shape': ()}`, f4(1)), /element type '=f4' is not supported/],
    ['a structured dtype', npy(`{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': ()}`, f4(1)), /structured dtype/],
    ['a multi-byte dtype without byte order', npy(`{'descr': '|f4', 'fortran_order': False, 'shape': ()}`, f4(1)), /has no byte order/],
    ['a negative dim', npy(f4Header('(2, -1)')), /negative dim -1/],
    ['a dim beyond 2^53', npy(f4Header('(100000000000000000000,)')), /dim 100000000000000000000 too large/],
    ['a huge shape', npy(f4Header('(4294967296, 4294967296, 4294967296)')), /more elements than can be addressed/],
    ['a large shape over little data', npy(f4Header('(100000, 100000)'), f4(4)), /needs 40000000000 bytes of data, but the file has only 16/],
    ['data shorter than the shape', npy(f4Header('(2, 3)'), f4(5)), /needs 24 bytes of data, but the file has only 20/],
    ['bytes after the data', npy(f4Header('(2, 3)'), f4(7)), /4 bytes after the array's data/],
    ['a shape that is not a tuple', npy(`{'descr': '<f4', 'fortran_order': False, 'shape': 3}`), /expected a quoted string/],
  ];

  it.each(cases)('%s', (_, bytes, message) => {
    expect(() => parseNpy(bytes)).toThrow(NpyFormatError);
    expect(() => parseNpy(bytes)).toThrow(message);
  });

  it('never throws anything but NpyFormatError on every truncation of a valid file', () => {
    for (const name of ['f8.npy', 'f4-v2.npy', 'i4-fortran.npy']) {
      const bytes = fixture(name);
      for (let length = 0; length < bytes.length; length++) {
        expect(() => parseNpy(bytes.subarray(0, length))).toThrow(NpyFormatError);
      }
    }
  });
});
