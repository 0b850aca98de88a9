/**
 * Property: for any input, decodeModel returns a model or throws ModelFormatError — never a
 * RangeError, a TypeError or anything else — and any model it returns re-encodes to bytes that
 * decode again to the same model. Three sources of input: arbitrary bytes, arbitrary
 * protobuf-shaped messages (random field numbers and wire types, nested; most of these decode,
 * which puts the encoder to work), and mutations of a small real model. Fixed seeds.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, ModelFormatError, type ModelProto } from '../../../engine/core/onnx/index.js';
import { CORPUS, corpusExists, fieldsOf, messageSites } from './harness.js';
import { SCHEMA, isLazyKind, isMessageKind, type MessageName } from '../../../engine/core/onnx/schema.js';
import * as pb from './pb.js';

beforeAll(corpusExists);

const LAZY_FIELDS = new Set(['floatData', 'int32Data', 'int64Data', 'doubleData', 'uint64Data']);

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * A plain, comparable form of a decoded model: bytes as hex, lazily kept numbers as the hex of
 * all their chunks (the encoder may join chunks; the values are the same), bigints and special
 * numbers spelled out, keys sorted.
 */
function canonical(value: unknown, key = ''): unknown {
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) {
    if (LAZY_FIELDS.has(key)) return (value as Uint8Array[]).map(hex).join('');
    return value.map((v) => canonical(v));
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Object.is(value, -0) ? '-0' : Number.isFinite(value) ? value : String(value);
  if (value !== null && typeof value === 'object') {
    const out: [string, unknown][] = Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k], k)]);
    return out;
  }
  return value;
}

type Result = { kind: 'model'; model: ModelProto } | { kind: 'refused'; error: ModelFormatError };

/** The property itself: a model or a ModelFormatError; a model round-trips. */
function decodesOrRefuses(bytes: Uint8Array): Result {
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (err) {
    if (err instanceof ModelFormatError) return { kind: 'refused', error: err };
    throw err; // fast-check reports the input and this error (a RangeError, TypeError…)
  }
  const again = decodeModel(encodeModel(model)); // must not throw at all
  expect(JSON.stringify(canonical(again))).toBe(JSON.stringify(canonical(model)));
  return { kind: 'model', model };
}

const SEED = 20_260_101;

/** Random protobuf: nested messages with small field numbers (those ONNX uses), all wire types ONNX uses. */
const protobufMessage = fc.letrec((tie) => ({
  message: fc.array(tie('field'), { maxLength: 6, depthIdentifier: 'protobuf' }).map((fields) => pb.concat(fields as Uint8Array[])),
  // At the depth limit oneof takes its first choice: a leaf, so nesting stops there.
  field: fc.oneof(
    { maxDepth: 6, depthIdentifier: 'protobuf', withCrossShrink: true },
    fc.tuple(fc.integer({ min: 1, max: 26 }), fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 0, max: 30 }))).map(([no, v]) => pb.vi(no, v)),
    fc.tuple(fc.integer({ min: 1, max: 26 }), tie('message')).map(([no, m]) => pb.ld(no, m as Uint8Array)),
    fc.tuple(fc.integer({ min: 1, max: 26 }), tie('message')).map(([no, m]) => pb.ld(no, m as Uint8Array)),
    fc.tuple(fc.integer({ min: 1, max: 26 }), fc.uint8Array({ maxLength: 24 })).map(([no, b]) => pb.ld(no, b)),
    fc.tuple(fc.integer({ min: 1, max: 26 }), fc.uint8Array({ minLength: 4, maxLength: 4 })).map(([no, b]) => pb.cat(pb.tag(no, 5), b)),
    fc.tuple(fc.integer({ min: 1, max: 26 }), fc.uint8Array({ minLength: 8, maxLength: 8 })).map(([no, b]) => pb.cat(pb.tag(no, 1), b)),
  ),
}));

/** Bits per element of each ONNX data type (written out here, from onnx.proto). */
const BITS: Record<number, number> = { 1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 8: 0, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64, 14: 64, 15: 128, 16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4, 24: 8, 25: 2, 26: 2 };

/** A tensor whose data agrees with its dims, in one of the ways ONNX allows (raw, typed field, none). */
const consistentTensor = fc
  .record({
    dims: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    dataType: fc.integer({ min: 1, max: 26 }),
    form: fc.constantFrom('raw', 'typed', 'none'),
    seed: fc.nat(),
    name: fc.string({ maxLength: 6 }),
  })
  .map(({ dims, dataType, form, seed, name }) => {
    const count = dims.reduce((a, b) => a * b, 1);
    const bits = BITS[dataType]!;
    const filler = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (seed + i * 31) & 0xff);
    const parts = [pb.packed(1, dims), pb.vi(2, dataType), pb.ld(8, name)];
    if (form === 'raw' && bits > 0) parts.push(pb.ld(9, filler(Math.ceil((count * bits) / 8))));
    else if (form !== 'none' && bits === 0) for (let i = 0; i < count; i++) parts.push(pb.ld(6, filler(i)));
    else if (form === 'typed') {
      const complex = dataType === 14 || dataType === 15 ? 2 : 1;
      if (dataType === 1 || dataType === 14) parts.push(pb.ld(4, filler(4 * count * complex)));
      else if (dataType === 11 || dataType === 15) parts.push(pb.ld(10, filler(8 * count * complex)));
      else if (dataType === 7) parts.push(pb.packed(7, Array.from({ length: count }, (_, i) => BigInt(i - 1))));
      else if (dataType === 12 || dataType === 13) parts.push(pb.packed(11, Array.from({ length: count }, (_, i) => i * 1000)));
      else parts.push(pb.packed(5, Array.from({ length: count }, (_, i) => (seed + i) % 200)));
    }
    return pb.concat(parts);
  });

/**
 * Random models shaped by the schema: each message gets fields of its own type with the right
 * wire type (sometimes packed, sometimes not), nested to a few levels; tensors are consistent.
 * Now and then a field of a random number and wire type slips in. Most of these decode.
 */
function schemaShaped(): fc.Arbitrary<Uint8Array> {
  const memo = new Map<string, fc.Arbitrary<Uint8Array>>();
  const scalar = (no: number, kind: string, repeated: boolean): fc.Arbitrary<Uint8Array> => {
    const many = <T,>(one: fc.Arbitrary<T>, single: (v: T) => Uint8Array, packed: (vs: T[]) => Uint8Array): fc.Arbitrary<Uint8Array> =>
      repeated ? fc.oneof(fc.array(one, { maxLength: 4 }).map(packed), fc.array(one, { minLength: 1, maxLength: 3 }).map((vs) => pb.concat(vs.map(single)))) : one.map(single);
    const int = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -5, max: -1 }), fc.constantFrom(2 ** 31 - 1, 2 ** 40));
    const fixed = (wt: number, n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => pb.cat(pb.tag(no, wt), b));
    switch (kind) {
      case 'string':
        return fc.array(fc.oneof(fc.string({ maxLength: 8 }).map((t) => pb.ld(no, t)), fc.uint8Array({ maxLength: 4 }).map((b) => pb.ld(no, b))), { minLength: 1, maxLength: repeated ? 3 : 1 }).map((f) => pb.concat(f));
      case 'bytes':
        return fc.array(fc.uint8Array({ maxLength: 12 }).map((b) => pb.ld(no, b)), { minLength: 1, maxLength: repeated ? 3 : 1 }).map((f) => pb.concat(f));
      case 'float':
      case 'lazyFloat':
        return repeated || kind === 'lazyFloat' ? fc.oneof(fc.uint8Array({ maxLength: 12 }).map((b) => pb.ld(no, b.subarray(0, b.length - (b.length % 4)))), fixed(5, 4)) : fixed(5, 4);
      case 'double':
      case 'lazyDouble':
        return fc.oneof(fc.uint8Array({ maxLength: 16 }).map((b) => pb.ld(no, b.subarray(0, b.length - (b.length % 8)))), fixed(1, 8));
      default:
        return many(int, (v) => pb.vi(no, BigInt(v)), (vs) => pb.packed(no, vs.map((v) => BigInt(v))));
    }
  };
  const message = (name: MessageName, depth: number): fc.Arbitrary<Uint8Array> => {
    const key = `${name}@${depth}`;
    const known = memo.get(key);
    if (known) return known;
    if (name === 'Tensor') return consistentTensor;
    const fields: fc.Arbitrary<Uint8Array>[] = [];
    for (const spec of SCHEMA[name]) {
      if (isMessageKind(spec.kind)) {
        if (depth < 5) fields.push(fc.constant(null).chain(() => message(spec.kind as MessageName, depth + 1)).map((m) => pb.ld(spec.no, m)));
      } else fields.push(scalar(spec.no, spec.kind, spec.repeated === true || isLazyKind(spec.kind)));
    }
    const stray = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.uint8Array({ maxLength: 6 })).map(([no, b]) => pb.ld(no, b));
    const field = fields.length === 0 ? stray : fc.oneof({ arbitrary: fc.oneof(...fields), weight: 30 }, { arbitrary: stray, weight: 1 });
    const arb = fc.array(field, { maxLength: depth < 2 ? 6 : 3 }).map((f) => pb.concat(f));
    memo.set(key, arb);
    return arb;
  };
  return fc.tuple(message('Graph', 1), message('Model', 1)).map(([graph, rest]) => pb.concat([pb.vi(1, 8), rest, pb.ld(7, graph)]));
}

describe('decode property', () => {
  it('arbitrary bytes: a model or a ModelFormatError, nothing else (2000 runs)', () => {
    const tally = { model: 0, refused: 0 };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        tally[decodesOrRefuses(bytes).kind]++;
      }),
      { seed: SEED, numRuns: 2000 },
    );
    expect(tally.model + tally.refused).toBe(2000);
  });

  it('arbitrary protobuf messages: a model that round-trips, or a ModelFormatError (2000 runs)', () => {
    const tally = { model: 0, refused: 0 };
    const model = fc
      .tuple(protobufMessage.message, protobufMessage.message, fc.array(protobufMessage.field, { maxLength: 3 }))
      .map(([graph, other, top]) => pb.concat([pb.vi(1, 8), pb.ld(7, graph as Uint8Array), other as Uint8Array, ...(top as Uint8Array[])]));
    fc.assert(
      fc.property(model, (bytes) => {
        tally[decodesOrRefuses(bytes).kind]++;
      }),
      { seed: SEED + 1, numRuns: 2000 },
    );
    // Random wire types mostly clash with the schema near the top; some still decode.
    expect(tally.model).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(100);
  });

  it('arbitrary schema-shaped models: a model that round-trips, or a ModelFormatError (2000 runs)', () => {
    const tally = { model: 0, refused: 0 };
    fc.assert(
      fc.property(schemaShaped(), (bytes) => {
        tally[decodesOrRefuses(bytes).kind]++;
      }),
      { seed: SEED + 3, numRuns: 2000 },
    );
    expect(tally.model).toBeGreaterThan(1000);
  });

  describe('mutations of a small real model', () => {
    let base: Uint8Array;
    let structural: number[];
    beforeAll(() => {
      base = new Uint8Array(readFileSync(CORPUS.find((c) => c.name === 'blazeface-front')!.path));
      const positions: number[] = [];
      const add = (start: number, end: number): void => {
        for (const f of fieldsOf(base, start, end)) for (let p = f.tagStart; p < f.payloadStart; p++) positions.push(p);
      };
      add(0, base.length);
      for (const site of messageSites(base)) add(site.span.payloadStart, site.span.end);
      structural = positions;
    });

    it('a model that round-trips, or a ModelFormatError (1000 runs)', () => {
      const tally = { model: 0, refused: 0 };
      const mutation = fc.record({
        op: fc.constantFrom('flip', 'set', 'insert', 'delete', 'ff-run'),
        structural: fc.boolean(),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
        n: fc.integer({ min: 1, max: 12 }),
      });
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
          let bytes: Uint8Array = base.slice();
          for (const m of mutations) {
            const pos = m.structural ? structural[m.at % structural.length]! % bytes.length : m.at % bytes.length;
            if (m.op === 'flip') bytes[pos] = bytes[pos]! ^ (1 << (m.value % 8));
            else if (m.op === 'set') bytes[pos] = m.value;
            else if (m.op === 'ff-run') bytes.fill(0xff, pos, pos + 10 + m.n);
            else if (m.op === 'insert') bytes = pb.concat([bytes.subarray(0, pos), new Uint8Array(m.n).fill(m.value), bytes.subarray(pos)]);
            else bytes = pb.concat([bytes.subarray(0, pos), bytes.subarray(pos + m.n)]);
          }
          tally[decodesOrRefuses(bytes).kind]++;
        }),
        { seed: SEED + 2, numRuns: 1000 },
      );
      expect(tally.model).toBeGreaterThan(50);
      expect(tally.refused).toBeGreaterThan(50);
    });
  });
});
