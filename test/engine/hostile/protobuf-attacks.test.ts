/**
 * Hand-built protobuf attacks, byte by byte (see pb.ts): each expects one exact outcome — the
 * error code and the field path it must name — checked both in memory (decodeModel) and through
 * a file (openModelFile, whose message must start with the file name), within the time bound
 * and with nothing written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, type ModelErrorCode } from '../../../engine/core/onnx/index.js';
import { decodeCase, makeCaseDir, openCase, prng, randomInt, type CaseDir } from './harness.js';
import { nest, nestedGraphs, nestedSequenceType } from './samples.js';
import * as pb from './pb.js';
import { Attribute as A, Graph as G, Node as N, Tensor as T } from './pb.js';

let dir: CaseDir;
beforeAll(() => {
  dir = makeCaseDir('protobuf');
});
afterAll(() => dir.cleanup());

type Expected = { code: ModelErrorCode; fieldPath: string; byteOffset?: number } | 'clean' | 'typed';

interface Case {
  readonly name: string;
  readonly bytes: () => Uint8Array;
  readonly expect: Expected;
}

const node = (...fields: Uint8Array[]): Uint8Array => pb.ld(G.node, ...fields);
const attr = (...fields: Uint8Array[]): Uint8Array => pb.ld(N.attribute, ...fields);
const initializer = (...fields: Uint8Array[]): Uint8Array => pb.ld(G.initializer, ...fields);
const floatTensor = (dims: readonly (number | bigint)[], data: Uint8Array): Uint8Array[] => [pb.packed(T.dims, dims), pb.vi(T.dataType, 1), pb.ld(T.name, 'w'), pb.ld(T.rawData, data)];
const bytesOf = (...b: number[]): Uint8Array => Uint8Array.from(b);
/** An 11-byte varint: ten continuation bytes, then a last byte. */
const varint11 = bytesOf(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
const int64Min = -(2n ** 63n);

const CASES: Case[] = [
  { name: 'empty file', bytes: () => new Uint8Array(0), expect: { code: 'empty', fieldPath: '' } },
  { name: 'one zero byte', bytes: () => bytesOf(0), expect: { code: 'bad-value', fieldPath: '', byteOffset: 0 } },
  ...[1, 7, 64, 512, 4096, 65536].map((n, i): Case => ({
    name: `${n} random bytes (seed ${i})`,
    bytes: () => {
      const rand = prng(0xbad0 + i);
      return Uint8Array.from({ length: n }, () => randomInt(rand, 256));
    },
    expect: 'typed',
  })),
  { name: 'text instead of protobuf', bytes: () => new TextEncoder().encode('{"graph": {"node": []}}\n'), expect: 'typed' },
  { name: 'only an ir_version: no graph', bytes: () => pb.vi(1, 8), expect: { code: 'bad-value', fieldPath: 'graph' } },
  { name: 'an empty graph decodes', bytes: () => pb.model([]), expect: 'clean' },

  // Declared lengths beyond the buffer.
  { name: 'graph declares 1000 bytes, 10 follow', bytes: () => pb.cat(bytesOf(0x3a), pb.varint(1000), new Uint8Array(10)), expect: { code: 'truncated', fieldPath: '', byteOffset: 1 } },
  { name: 'graph declares 2^53 - 1 bytes', bytes: () => pb.cat(bytesOf(0x3a), pb.varint(2 ** 53 - 1), new Uint8Array(10)), expect: { code: 'truncated', fieldPath: '' } },
  { name: 'graph declares 2^64 - 1 bytes', bytes: () => pb.cat(bytesOf(0x3a), pb.varint(2n ** 64n - 1n), new Uint8Array(10)), expect: { code: 'bad-value', fieldPath: '' } },
  { name: 'node name declares 2^40 bytes', bytes: () => pb.model([node(pb.cat(pb.tag(N.name, 2), pb.varint(2 ** 40), bytesOf(0x41)))]), expect: { code: 'truncated', fieldPath: 'graph.node[0].name' } },
  { name: 'unknown field declares more bytes than its message', bytes: () => pb.model([node(pb.cat(pb.tag(99, 2), pb.varint(50), bytesOf(1, 2)))]), expect: { code: 'truncated', fieldPath: 'graph.node[0]' } },
  { name: 'float attribute with 2 of its 4 bytes', bytes: () => pb.model([node(attr(pb.ld(A.name, 'alpha'), pb.tag(A.f, 5), bytesOf(0, 0)))]), expect: { code: 'truncated', fieldPath: 'graph.node[0].attribute[0].f' } },

  // Varints over 10 bytes, and integers too big for their field.
  { name: '11-byte varint as ir_version', bytes: () => pb.cat(pb.tag(1, 0), varint11, pb.ld(7)), expect: { code: 'bad-varint', fieldPath: 'irVersion', byteOffset: 1 } },
  { name: '11-byte varint as a tag', bytes: () => pb.cat(varint11, pb.ld(7)), expect: { code: 'bad-varint', fieldPath: '', byteOffset: 0 } },
  { name: '11-byte varint as the graph length', bytes: () => pb.cat(pb.tag(7, 2), varint11, new Uint8Array(4)), expect: { code: 'bad-varint', fieldPath: '', byteOffset: 1 } },
  { name: '11-byte varint in packed dims', bytes: () => pb.model([initializer(pb.ld(T.dims, varint11), pb.vi(T.dataType, 1))]), expect: { code: 'bad-varint', fieldPath: 'graph.initializer[0].dims' } },
  { name: '11-byte varint in packed int64_data', bytes: () => pb.model([initializer(pb.packed(T.dims, [1]), pb.vi(T.dataType, 7), pb.ld(T.int64Data, varint11))]), expect: { code: 'bad-varint', fieldPath: 'graph.initializer[0].int64Data' } },
  { name: 'packed int64_data ending inside a varint', bytes: () => pb.model([initializer(pb.packed(T.dims, [1]), pb.vi(T.dataType, 7), pb.ld(T.int64Data, bytesOf(0x80, 0x80)))]), expect: { code: 'truncated', fieldPath: 'graph.initializer[0].int64Data' } },
  { name: 'a 10-byte varint (ir_version -1) is still a varint', bytes: () => pb.cat(pb.vi(1, -1n), pb.ld(7)), expect: 'clean' },
  { name: 'a tag beyond 2^53', bytes: () => pb.cat(pb.varint(2n ** 60n), pb.ld(7)), expect: { code: 'bad-value', fieldPath: '', byteOffset: 0 } },
  { name: 'dim beyond 2^53 (int64 max)', bytes: () => pb.model([initializer(pb.packed(T.dims, [2n ** 63n - 1n]), pb.vi(T.dataType, 1))]), expect: { code: 'bad-value', fieldPath: 'graph.initializer[0].dims' } },
  { name: 'dim_value of an input shape at 2^62', bytes: () => pb.model([pb.valueInfo(G.input, 'x', [1]).slice(0, 0), pb.ld(G.input, pb.ld(1, 'x'), pb.ld(2, pb.ld(1, pb.vi(1, 1), pb.ld(2, pb.ld(1, pb.vi(1, 2n ** 62n))))))]), expect: { code: 'bad-value', fieldPath: 'graph.input[0].type.tensorType.shape.dim[0].dimValue' } },

  // Nesting.
  { name: '34 nested graphs (message depth 100) decode', bytes: () => nestedGraphs(34), expect: 'clean' },
  { name: '35 nested graphs (message depth 103) are too deep', bytes: () => nestedGraphs(35), expect: 'typed' },
  { name: '5000 nested graphs (the protobuf.js #2121 shape) are too deep, without a stack overflow', bytes: () => nestedGraphs(5000), expect: 'typed' },
  { name: 'sequence types nested 60 deep are too deep', bytes: () => nestedSequenceType(60), expect: 'typed' },
  {
    name: 'a 100 000-deep chain inside an unknown field is skipped, not parsed',
    bytes: () => {
      const chain = nest(100_000, (n) => pb.cat(pb.tag(1, 2), pb.varint(n)), bytesOf(0x08, 0x01));
      return pb.model([], [pb.cat(pb.tag(999, 2), pb.varint(chain.length), chain)]);
    },
    expect: 'clean',
  },

  // Wrong wire types for known fields.
  { name: 'graph as a varint', bytes: () => pb.cat(pb.vi(1, 8), pb.vi(7, 1)), expect: { code: 'bad-wire-type', fieldPath: '', byteOffset: 2 } },
  { name: 'ir_version as a length-delimited field', bytes: () => pb.cat(pb.ld(1, 'x'), pb.ld(7)), expect: { code: 'bad-wire-type', fieldPath: '', byteOffset: 0 } },
  { name: 'node input as fixed32', bytes: () => pb.model([node(pb.tag(N.input, 5), bytesOf(1, 2, 3, 4))]), expect: { code: 'bad-wire-type', fieldPath: 'graph.node[0]' } },
  { name: 'attribute g as a varint', bytes: () => pb.model([node(attr(pb.ld(A.name, 'body'), pb.vi(A.g, 1)))]), expect: { code: 'bad-wire-type', fieldPath: 'graph.node[0].attribute[0]' } },
  { name: 'attribute f as a varint', bytes: () => pb.model([node(attr(pb.ld(A.name, 'alpha'), pb.vi(A.f, 1)))]), expect: { code: 'bad-wire-type', fieldPath: 'graph.node[0].attribute[0]' } },
  { name: 'float_data as fixed64', bytes: () => pb.model([initializer(pb.packed(T.dims, [1]), pb.vi(T.dataType, 1), pb.tag(T.floatData, 1), new Uint8Array(8))]), expect: { code: 'bad-wire-type', fieldPath: 'graph.initializer[0]' } },
  { name: 'dims as fixed32', bytes: () => pb.model([initializer(pb.tag(T.dims, 5), new Uint8Array(4))]), expect: { code: 'bad-wire-type', fieldPath: 'graph.initializer[0]' } },

  // Group wire types (3, 4) and the undefined ones (6, 7), on known and unknown fields.
  { name: 'graph as a start-group (wire type 3)', bytes: () => pb.cat(pb.tag(7, 3), pb.tag(7, 4)), expect: { code: 'bad-wire-type', fieldPath: '', byteOffset: 0 } },
  { name: 'unknown field 50 as a start-group (wire type 3)', bytes: () => pb.cat(pb.ld(7), pb.tag(50, 3), pb.vi(1, 1), pb.tag(50, 4)), expect: { code: 'bad-wire-type', fieldPath: '' } },
  { name: 'a lone end-group (wire type 4) in a node', bytes: () => pb.model([node(pb.tag(50, 4))]), expect: { code: 'bad-wire-type', fieldPath: 'graph.node[0]' } },
  { name: 'wire type 6 in a tensor', bytes: () => pb.model([initializer(pb.tag(50, 6), bytesOf(0))]), expect: { code: 'bad-wire-type', fieldPath: 'graph.initializer[0]' } },
  { name: 'wire type 7 on a known field (node name)', bytes: () => pb.model([node(pb.tag(N.name, 7))]), expect: { code: 'bad-wire-type', fieldPath: 'graph.node[0]' } },

  // Field number 0.
  { name: 'field number 0 (varint) at the top', bytes: () => pb.cat(bytesOf(0x00, 0x01), pb.ld(7)), expect: { code: 'bad-value', fieldPath: '', byteOffset: 0 } },
  { name: 'field number 0 (length-delimited) in a tensor', bytes: () => pb.model([initializer(bytesOf(0x02, 0x00))]), expect: { code: 'bad-value', fieldPath: 'graph.initializer[0]' } },
  { name: 'unknown field numbers up to 2^29 - 1 and beyond are kept', bytes: () => pb.model([node(pb.vi(2 ** 29 - 1, 5), pb.ld(2 ** 35, 'x'), pb.ld(N.opType, 'Relu'))]), expect: 'clean' },
  { name: 'names that are not UTF-8 decode (replaced, not refused)', bytes: () => pb.model([node(pb.ld(N.name, bytesOf(0xff, 0xfe, 0xc0)), pb.ld(N.opType, 'Relu'))]), expect: 'clean' },

  // Tensors whose bytes do not match their dims.
  { name: 'raw_data of 3 bytes for one float', bytes: () => pb.model([initializer(...floatTensor([1], new Uint8Array(3)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'raw_data of 4 bytes for dims [1e9]', bytes: () => pb.model([initializer(...floatTensor([1e9], new Uint8Array(4)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'raw_data of 4 bytes for dims [2, 3]', bytes: () => pb.model([initializer(...floatTensor([2, 3], new Uint8Array(4)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'float_data of 2 values for dims [3]', bytes: () => pb.model([initializer(pb.packed(T.dims, [3]), pb.vi(T.dataType, 1), pb.ld(T.floatData, pb.floatBytes([1, 2])))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'int64_data of 4 values for dims [2, 3]', bytes: () => pb.model([initializer(pb.packed(T.dims, [2, 3]), pb.vi(T.dataType, 7), pb.packed(T.int64Data, [1, 2, 3, 4]))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'a string tensor with raw_data', bytes: () => pb.model([initializer(pb.packed(T.dims, [1]), pb.vi(T.dataType, 8), pb.ld(T.rawData, 'abc'))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'data type 99 with data', bytes: () => pb.model([initializer(pb.packed(T.dims, [1]), pb.vi(T.dataType, 99), pb.ld(T.rawData, new Uint8Array(4)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'int4 dims [3] in 1 byte (needs 2)', bytes: () => pb.model([initializer(pb.packed(T.dims, [3]), pb.vi(T.dataType, 22), pb.ld(T.rawData, bytesOf(0x12)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'raw_data and float_data both (the second would go unchecked)', bytes: () => pb.model([initializer(...floatTensor([1], new Uint8Array(4)), pb.ld(T.floatData, new Uint8Array(400)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  {
    name: 'an empty packed float_data beside int32_data (re-encoding dropped the empty field, and the copy no longer decoded)',
    bytes: () => pb.model([initializer(pb.packed(T.dims, [0]), pb.vi(T.dataType, 1), pb.ld(T.floatData), pb.packed(T.int32Data, [1, 2, 3]))]),
    expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' },
  },
  { name: 'an empty packed float_data is no data (dims [0])', bytes: () => pb.model([initializer(pb.packed(T.dims, [0]), pb.vi(T.dataType, 1), pb.ld(T.floatData))]), expect: 'clean' },
  { name: 'int4 dims [3] in 2 bytes decodes', bytes: () => pb.model([initializer(pb.packed(T.dims, [3]), pb.vi(T.dataType, 22), pb.ld(T.rawData, bytesOf(0x12, 0x03)))]), expect: 'clean' },
  {
    name: 'a Constant value tensor with 8 bytes for dims [3]',
    bytes: () => pb.model([node(pb.ld(N.output, 'c'), pb.ld(N.opType, 'Constant'), attr(pb.ld(A.name, 'value'), pb.vi(A.type, 4), pb.ld(A.t, ...floatTensor([3], new Uint8Array(8)))))]),
    expect: { code: 'bad-tensor', fieldPath: 'graph.node[0].attribute[0].t' },
  },

  // Negative dims and element counts that overflow.
  { name: 'dims [-1]', bytes: () => pb.model([initializer(...floatTensor([-1], new Uint8Array(4)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'dims [2, -3]', bytes: () => pb.model([initializer(...floatTensor([2, -3], new Uint8Array(24)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'dims [INT64_MIN]', bytes: () => pb.model([initializer(...floatTensor([int64Min], new Uint8Array(4)))]), expect: { code: 'bad-value', fieldPath: 'graph.initializer[0].dims' } },
  { name: 'dims [2^27, 2^27]: 2^54 elements, beyond 2^53', bytes: () => pb.model([initializer(...floatTensor([2 ** 27, 2 ** 27], new Uint8Array(4)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'dims [2^32, 2^32]: 2^64 elements', bytes: () => pb.model([initializer(...floatTensor([2 ** 32, 2 ** 32], new Uint8Array(4)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'dims [2^31, 2^31, 2^31]: 2^93 elements', bytes: () => pb.model([initializer(...floatTensor([2 ** 31, 2 ** 31, 2 ** 31], new Uint8Array(4)))]), expect: { code: 'bad-tensor', fieldPath: 'graph.initializer[0]' } },
  { name: 'dims [0, 2^50, 2^50] hold zero elements', bytes: () => pb.model([initializer(pb.packed(T.dims, [0, 2 ** 50, 2 ** 50]), pb.vi(T.dataType, 1), pb.ld(T.rawData))]), expect: 'clean' },

  // Huge declared packed counts.
  { name: 'packed float_data declaring 2^40 bytes', bytes: () => pb.model([initializer(pb.packed(T.dims, [1]), pb.vi(T.dataType, 1), pb.tag(T.floatData, 2), pb.varint(2 ** 40), new Uint8Array(4))]), expect: { code: 'truncated', fieldPath: 'graph.initializer[0].floatData' } },
  { name: 'packed dims declaring 2^31 bytes', bytes: () => pb.model([initializer(pb.tag(T.dims, 2), pb.varint(2 ** 31), bytesOf(1, 2))]), expect: { code: 'truncated', fieldPath: 'graph.initializer[0].dims' } },
  { name: 'packed float_data of 5 bytes (not a multiple of 4)', bytes: () => pb.model([initializer(pb.packed(T.dims, [1]), pb.vi(T.dataType, 1), pb.ld(T.floatData, new Uint8Array(5)))]), expect: { code: 'truncated', fieldPath: 'graph.initializer[0].floatData' } },
  { name: 'attribute ints: 200 000 packed values decode', bytes: () => pb.model([node(pb.ld(N.opType, 'Foo'), attr(pb.ld(A.name, 'many'), pb.vi(A.type, 7), pb.ld(A.ints, new Uint8Array(200_000))))]), expect: 'clean' },
];

describe('hand-built protobuf attacks', () => {
  it.each(CASES.map((c, i) => ({ ...c, i })))('$name', async ({ bytes: build, expect: expected, i }) => {
    const bytes = build();
    const memory = await decodeCase(bytes);
    const file = join(dir.modelDir, `case-${i}.onnx`);
    writeFileSync(file, bytes);
    const onDisk = await openCase(file, dir);
    expect(onDisk.ok).toBe(memory.ok);
    if (expected === 'clean') {
      expect(memory.ok, memory.ok ? '' : memory.error.message).toBe(true);
      return;
    }
    expect(memory.ok).toBe(false);
    if (memory.ok || onDisk.ok) return;
    expect(onDisk.error.code).toBe(memory.error.code);
    expect(onDisk.error.fieldPath).toBe(memory.error.fieldPath);
    expect(onDisk.error.message).toBe(`case-${i}.onnx: ${memory.error.message}`);
    if (expected === 'typed') return;
    const got = { code: memory.error.code, fieldPath: memory.error.fieldPath, ...(expected.byteOffset === undefined ? {} : { byteOffset: memory.error.byteOffset }) };
    expect(got).toEqual(expected);
  });

  it('nesting: the error for 35 nested graphs is too-deep, at the 101st message', () => {
    for (const bytes of [nestedGraphs(35), nestedGraphs(5000), nestedSequenceType(60)]) {
      let error: unknown;
      try {
        decodeModel(bytes);
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ name: 'ModelFormatError', code: 'too-deep' });
      const path = (error as { fieldPath: string }).fieldPath;
      expect(path.startsWith('graph.')).toBe(true);
      // Model is depth 0; the message that is refused sits at depth 101: 101 path segments.
      expect(path.split('.').length).toBe(101);
    }
  });

  it('34 nested graphs: info counts 33 subgraphs', () => {
    const model = decodeModel(nestedGraphs(34));
    let g = model.graph!;
    let depth = 1;
    while (g.node[0]?.attribute[0]?.g) {
      g = g.node[0].attribute[0].g;
      depth++;
    }
    expect(depth).toBe(34);
    expect(g.name).toBe('innermost');
  });
});
