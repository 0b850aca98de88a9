import { describe, expect, it } from 'vitest';
import { protoDifference } from './proto-equal.js';

// The round-trip suites are only as strict as this comparison.
describe('protoDifference', () => {
  it('treats byte views of different buffers with the same contents as equal', () => {
    const big = Uint8Array.from([9, 1, 2, 3, 9]);
    expect(protoDifference({ b: big.subarray(1, 4) }, { b: Uint8Array.from([1, 2, 3]) })).toBeUndefined();
  });

  it.each([
    ['a changed byte', { b: Uint8Array.from([1, 2]) }, { b: Uint8Array.from([1, 3]) }, '$.b: bytes differ at 1 (2 vs 3)'],
    ['a missing byte', { b: Uint8Array.from([1, 2]) }, { b: Uint8Array.from([1]) }, '$.b: 2 bytes vs 1 bytes'],
    ['bytes vs absent', { b: Uint8Array.from([1]) }, {}, '$: fields only on the left [b], only on the right []'],
    ['-0 vs 0', { f: -0 }, { f: 0 }, '$.f: -0 vs 0'],
    ['bigint', { i: 2n ** 63n - 1n }, { i: 2n ** 63n - 2n }, '$.i: 9223372036854775807n vs 9223372036854775806n'],
    ['array length', { a: [1, 2] }, { a: [1] }, '$.a: 2 items vs 1 items'],
    ['nested', { n: [{ s: 'x' }] }, { n: [{ s: 'y' }] }, '$.n[0].s: "x" vs "y"'],
  ])('reports %s with its path', (_label, a, b, message) => {
    expect(protoDifference(a, b)).toBe(message);
  });

  it('ignores prototypes and compares NaN as equal to NaN', () => {
    const nullProto = Object.assign(Object.create(null) as object, { f: NaN });
    expect(protoDifference(nullProto, { f: NaN })).toBeUndefined();
  });
});
