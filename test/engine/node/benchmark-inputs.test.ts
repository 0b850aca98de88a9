import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataType, decodeModel, encodeModel, type ModelProto } from '../../../engine/core/onnx/index.js';
import { InputDimsError } from '../../../engine/core/shape/infer.js';
import { parseNpy } from '../../../engine/core/tensor/npy.js';
import { InputFeedError, prepareFeeds, type FeedRequest } from '../../../engine/node/benchmark-inputs.js';
import { graph, leBytes, model, node, tensor, valueInfo } from '../../support/build.js';
import { bitDifference, halfToNumber, runBytes, type ort } from '../../support/ort.js';

const ROOT = join(import.meta.dirname, '../../..');
const NPY = join(ROOT, 'test/fixtures/npy');
const ppocr = decodeModel(readFileSync(join(ROOT, 'assets/samples/ppocr-cls.onnx')));

const dir = mkdtempSync(join(tmpdir(), 'whittle-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** Writes text to a fresh file in the temp folder and returns its path. */
function file(text: string, ext = '.json'): string {
  const path = join(dir, `input-${files++}${ext}`);
  writeFileSync(path, text);
  return path;
}

/** Identity (Not for the bool) of one input per element type, each shaped [batch, …]; `w` is an initializer also listed as an input. */
const TYPED_INPUTS: [string, number, (number | string)[]][] = [
  ['f', DataType.FLOAT, ['batch', 3, 4]],
  ['ids', DataType.INT64, ['batch', 'seq']],
  ['mask', DataType.BOOL, ['batch', 'seq']],
  ['h', DataType.FLOAT16, ['batch', 4]],
  ['d', DataType.DOUBLE, ['batch', 5]],
  ['i8', DataType.INT8, ['batch', 5]],
  ['u8', DataType.UINT8, ['batch', 5]],
  ['i16', DataType.INT16, ['batch', 5]],
  ['u16', DataType.UINT16, ['batch', 5]],
  ['i32', DataType.INT32, ['batch', 5]],
  ['u32', DataType.UINT32, ['batch', 5]],
  ['u64', DataType.UINT64, ['batch', 5]],
];

function typedModel(order: 'forward' | 'reversed' = 'forward'): ModelProto {
  const inputs = order === 'forward' ? TYPED_INPUTS : [...TYPED_INPUTS].reverse();
  return model(
    graph({
      input: [...inputs.map(([name, type, shape]) => valueInfo(name, type, shape)), valueInfo('w', DataType.FLOAT, [2])],
      initializer: [tensor({ name: 'w', dataType: DataType.FLOAT, dims: [2], rawData: leBytes(new Float32Array([1, 2])) })],
      node: [...inputs.map(([name]) => node(name === 'mask' ? 'Not' : 'Identity', [name], [`${name}_out`])), node('Identity', ['w'], ['w_out'])],
      output: [...inputs.map(([name, type, shape]) => valueInfo(`${name}_out`, type, shape)), valueInfo('w_out', DataType.FLOAT, [2])],
    }),
  );
}

function singleInputModel(type: number, shape: (number | string)[]): ModelProto {
  return model(graph({ input: [valueInfo('x', type, shape)], node: [node('Identity', ['x'], ['y'])], output: [valueInfo('y', type, shape)] }));
}

async function run(m: ModelProto, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
  const result = await runBytes(encodeModel(m), feeds);
  if ('error' in result) throw new Error(result.error);
  return result.outputs;
}

const numbers = (t: ort.Tensor): number[] => (t.type === 'float16' ? Array.from(t.data as Uint16Array, halfToNumber) : Array.from(t.data as ArrayLike<number | bigint>, Number));
const PINNED: FeedRequest = { inputDims: { f: [4, 3, 4], ids: [4, 16] } };

describe('prepareFeeds on the ppocr-cls sample', () => {
  it('says which dims are unpinned and how to pin them', async () => {
    await expect(prepareFeeds(ppocr)).rejects.toThrow(InputDimsError);
    await expect(prepareFeeds(ppocr)).rejects.toThrow(
      'input "x" has unpinned dims [p2o.DynamicDimension.0, p2o.DynamicDimension.1, p2o.DynamicDimension.2]: pin them to the sizes you deploy with (command line: --input x=Nx3xNxN; workbench: the input dims bar)',
    );
  });

  it('fills the pinned input with random values in [0, 1) that onnxruntime runs', async () => {
    const { feeds, inputs } = await prepareFeeds(ppocr, { inputDims: { x: [1, 3, 48, 192] } });
    expect(inputs).toEqual([{ name: 'x', dtype: 'float32', dims: [1, 3, 48, 192], source: 'random' }]);
    const values = numbers(feeds.x!);
    expect(values).toHaveLength(3 * 48 * 192);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.max(...values)).toBeGreaterThan(0.99);
    expect(new Set(values).size).toBeGreaterThan(values.length * 0.99);
    expect((await run(ppocr, feeds))['softmax_0.tmp_0']!.dims).toEqual([1, 2]);
  });

  it('sets the batch dim', async () => {
    const { feeds, inputs } = await prepareFeeds(ppocr, { inputDims: { x: [1, 3, 48, 192] }, batch: 3 });
    expect(inputs[0]!.dims).toEqual([3, 3, 48, 192]);
    expect((await run(ppocr, feeds))['softmax_0.tmp_0']!.dims).toEqual([3, 2]);
  });

  it('refuses pins that do not fit the model, and dims too large to allocate', async () => {
    await expect(prepareFeeds(ppocr, { inputDims: { x: [1, 4, 48, 192] } })).rejects.toThrow(InputDimsError);
    await expect(prepareFeeds(ppocr, { inputDims: { y: [1] } })).rejects.toThrow('the model has no input "y"');
    await expect(prepareFeeds(ppocr, { inputDims: { x: [100000, 3, 100000, 100000] } })).rejects.toThrow('input "x" at dims 100000x3x100000x100000 is too large to allocate');
  });

  it('feeds a JSON file with flat data and dims', async () => {
    const count = 3 * 48 * 96;
    const path = file(JSON.stringify({ dims: [1, 3, 48, 96], data: Array.from({ length: count }, (_, i) => (i % 7) / 7) }));
    const { feeds, inputs } = await prepareFeeds(ppocr, { inputFiles: { x: path } });
    expect(inputs).toEqual([{ name: 'x', dtype: 'float32', dims: [1, 3, 48, 96], source: path }]);
    expect(numbers(feeds.x!).slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 0].map((v) => Math.fround(v / 7)));
    expect((await run(ppocr, feeds))['softmax_0.tmp_0']!.dims).toEqual([1, 2]);
  });
});

describe('prepareFeeds fills every element type', () => {
  it('runs in onnxruntime with the pinned dims, skipping initializers', async () => {
    const m = typedModel();
    const { feeds, inputs } = await prepareFeeds(m, { ...PINNED, fill: { kind: 'random', low: -3, high: 5 } });
    expect(Object.keys(feeds)).toEqual(TYPED_INPUTS.map(([name]) => name));
    expect(inputs.map((i) => [i.name, i.dtype, i.dims.join('x'), i.source])).toEqual([
      ['f', 'float32', '4x3x4', 'random'],
      ['ids', 'int64', '4x16', 'random'],
      ['mask', 'bool', '4x16', 'random'],
      ['h', 'float16', '4x4', 'random'],
      ...['d', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'u64'].map((name, i) => [name, ['float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'uint64'][i], '4x5', 'random']),
    ]);
    const outputs = await run(m, feeds);
    for (const [name] of TYPED_INPUTS) {
      const out = outputs[`${name}_out`]!;
      expect(out.dims).toEqual(feeds[name]!.dims);
      if (name !== 'mask') expect(bitDifference(out, feeds[name]!)).toBeUndefined();
    }
    expect(Array.from(outputs.mask_out!.data as Uint8Array)).toEqual(Array.from(feeds.mask!.data as Uint8Array, (v) => 1 - v));
    expect(feeds.ids!.data).toBeInstanceOf(BigInt64Array);
    expect(feeds.h!.data).toBeInstanceOf(Uint16Array);
  });

  it('draws floats in [low, high), integers in [ceil(low), ceil(high)) clamped to the type, bools both ways', async () => {
    const { feeds } = await prepareFeeds(typedModel(), { inputDims: { f: [64, 3, 4], ids: [64, 16] }, fill: { kind: 'random', low: -2.5, high: 4.5 } });
    for (const name of ['f', 'h', 'd']) {
      const values = numbers(feeds[name]!);
      expect(Math.min(...values), name).toBeGreaterThanOrEqual(-2.5);
      expect(Math.max(...values), name).toBeLessThan(4.5);
      expect(new Set(values).size, name).toBeGreaterThan(values.length / 4);
    }
    for (const name of ['ids', 'i8', 'i16', 'i32']) expect(new Set(numbers(feeds[name]!)), name).toEqual(new Set([-2, -1, 0, 1, 2, 3, 4]));
    for (const name of ['u8', 'u16', 'u32', 'u64']) expect(new Set(numbers(feeds[name]!)), name).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(new Set(numbers(feeds.mask!))).toEqual(new Set([0, 1]));
  });

  it('fills integers with zeros for the default range [0, 1)', async () => {
    const { feeds } = await prepareFeeds(typedModel(), PINNED);
    for (const name of ['ids', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'u64']) expect(new Set(numbers(feeds[name]!)), name).toEqual(new Set([0]));
    expect(Math.max(...numbers(feeds.h!))).toBeLessThan(1);
  });

  it('clamps integer ranges to the type', async () => {
    const fill = { kind: 'random', low: -1e6, high: 1e6 } as const;
    const int8 = numbers((await prepareFeeds(singleInputModel(DataType.INT8, [5000]), { fill })).feeds.x!);
    expect(Math.min(...int8)).toBe(-128);
    expect(Math.max(...int8)).toBe(127);
    const uint16 = numbers((await prepareFeeds(singleInputModel(DataType.UINT16, [1000]), { fill })).feeds.x!);
    expect(Math.min(...uint16)).toBeLessThan(1000);
    expect(Math.max(...uint16)).toBeGreaterThan(60000);
    const int64 = (await prepareFeeds(singleInputModel(DataType.INT64, [1000]), { fill: { kind: 'random', low: -1e30, high: 1e30 } })).feeds.x!.data as BigInt64Array;
    expect(int64.some((v) => v < -(2n ** 62n))).toBe(true);
    expect(int64.some((v) => v > 2n ** 62n)).toBe(true);
  });

  it('fills zeros of every type', async () => {
    const { feeds, inputs } = await prepareFeeds(typedModel(), { ...PINNED, fill: { kind: 'zeros' } });
    for (const [name] of TYPED_INPUTS) expect(new Set(numbers(feeds[name]!)), name).toEqual(new Set([0]));
    expect(inputs.every((i) => i.source === 'zeros')).toBe(true);
  });

  it('gives the same tensors for the same seed, whatever the order of the inputs, and others for another seed', async () => {
    const a = await prepareFeeds(typedModel(), { ...PINNED, seed: 42, fill: { kind: 'random', low: -100, high: 100 } });
    const b = await prepareFeeds(typedModel('reversed'), { ...PINNED, seed: 42, fill: { kind: 'random', low: -100, high: 100 } });
    const c = await prepareFeeds(typedModel(), { ...PINNED, seed: 43, fill: { kind: 'random', low: -100, high: 100 } });
    for (const [name] of TYPED_INPUTS) {
      expect(bitDifference(a.feeds[name]!, b.feeds[name]!), name).toBeUndefined();
      expect(bitDifference(a.feeds[name]!, c.feeds[name]!), name).toBeDefined();
    }
    expect(bitDifference(a.feeds.f!, a.feeds.d!)).toBeDefined();
  });

  it('refuses fills that give no valid value', async () => {
    await expect(prepareFeeds(typedModel(), { ...PINNED, fill: { kind: 'random', low: 0.2, high: 0.9 } })).rejects.toThrow('input "ids": no int64 value lies in the fill range [0.2, 0.9)');
    await expect(prepareFeeds(typedModel(), { ...PINNED, fill: { kind: 'random', low: -9, high: -1 } })).rejects.toThrow('input "u8": no uint8 value lies in the fill range [-9, -1)');
    await expect(prepareFeeds(typedModel(), { ...PINNED, fill: { kind: 'random', low: 0, high: 1e6 } })).rejects.toThrow('input "h": the fill range [0, 1000000) exceeds the range of float16');
    await expect(prepareFeeds(typedModel(), { ...PINNED, fill: { kind: 'random', low: 1, high: 1 } })).rejects.toThrow('must be finite and not empty');
    await expect(prepareFeeds(typedModel(), { ...PINNED, fill: { kind: 'random', low: 0, high: Infinity } })).rejects.toThrow('must be finite and not empty');
    await expect(prepareFeeds(typedModel(), { ...PINNED, seed: 0.5 })).rejects.toThrow('seed must be an integer');
    const narrow = singleInputModel(DataType.FLOAT16, [8]);
    await expect(prepareFeeds(narrow, { fill: { kind: 'random', low: 1.0001, high: 1.0002 } })).rejects.toThrow('hardly any float16 value lies in the fill range');
  });

  it('needs a file for string inputs, and feeds strings from JSON', async () => {
    const strings = singleInputModel(DataType.STRING, ['n']);
    await expect(prepareFeeds(strings, { inputDims: { x: [2] } })).rejects.toThrow('input "x" holds strings: string inputs need a file');
    const { feeds } = await prepareFeeds(strings, { inputFiles: { x: file('["a", "βγ"]') } });
    expect((await run(strings, feeds)).y!.data).toEqual(['a', 'βγ']);
  });

  it('refuses types onnxruntime-node cannot feed', async () => {
    await expect(prepareFeeds(singleInputModel(DataType.BFLOAT16, [2]))).rejects.toThrow('input "x" holds bfloat16, which onnxruntime-node cannot feed');
  });
});

describe('prepareFeeds with a batch', () => {
  it('sets the first dim of every input, keeping the other pins', async () => {
    const m = typedModel();
    const { feeds, inputs } = await prepareFeeds(m, { inputDims: { ids: [1, 3] }, batch: 2 });
    expect(inputs.map((i) => i.dims.join('x'))).toEqual(['2x3x4', '2x3', '2x3', '2x4', ...Array<string>(8).fill('2x5')]);
    expect((await run(m, feeds)).ids_out!.dims).toEqual([2, 3]);
  });

  it('refuses inputs whose first dim is fixed', async () => {
    await expect(prepareFeeds(singleInputModel(DataType.FLOAT, [1, 4]), { batch: 2 })).rejects.toThrow('input "x" has a fixed first dim 1, so a batch sweep cannot set its first dim');
    await expect(prepareFeeds(singleInputModel(DataType.FLOAT, []), { batch: 2 })).rejects.toThrow('input "x" is a scalar');
    await expect(prepareFeeds(singleInputModel(DataType.FLOAT, ['n']), { batch: 0 })).rejects.toThrow('batch must be a positive integer');
  });

  it('refuses a file whose first dim is another batch', async () => {
    const path = join(NPY, 'f4.npy');
    await expect(prepareFeeds(typedModel(), { inputFiles: { f: path }, inputDims: { ids: [2, 3] }, batch: 4 })).rejects.toThrow(`${path}: has first dim 2, so input "f" cannot run at batch 4`);
  });
});

describe('prepareFeeds with given files', () => {
  const f4 = join(NPY, 'f4.npy');

  it('feeds .npy and JSON files, their dims pinning the symbols they share with other inputs', async () => {
    const m = typedModel();
    const ids = file('[[1, 2, 3], [4, 5, 9007199254740991]]');
    const mask = file('{"dims": [2, 3], "data": [true, false, 1, 0, true, true]}');
    const h = file('{"dtype": "float16", "data": [[1, 65504, 1e-8, -2.5], [65519, 65520, 3e-8, 0.1]]}');
    const { feeds, inputs } = await prepareFeeds(m, { inputFiles: { f: f4, ids, mask, h }, inputDims: { f: [7, 3, 4] } });
    expect(inputs.slice(0, 5)).toEqual([
      { name: 'f', dtype: 'float32', dims: [2, 3, 4], source: f4 },
      { name: 'ids', dtype: 'int64', dims: [2, 3], source: ids },
      { name: 'mask', dtype: 'bool', dims: [2, 3], source: mask },
      { name: 'h', dtype: 'float16', dims: [2, 4], source: h },
      { name: 'd', dtype: 'float64', dims: [2, 5], source: 'random' },
    ]);
    expect(numbers(feeds.f!)).toEqual(Array.from({ length: 24 }, (_, i) => Math.fround(i / 3)));
    expect(Array.from(feeds.ids!.data as BigInt64Array)).toEqual([1n, 2n, 3n, 4n, 5n, 9007199254740991n]);
    expect(Array.from(feeds.mask!.data as Uint8Array)).toEqual([1, 0, 1, 0, 1, 1]);
    expect(Array.from(feeds.h!.data as Uint16Array)).toEqual([0x3c00, 0x7bff, 0x0000, 0xc100, 0x7bff, 0x7c00, 0x0001, 0x2e66]);
    const outputs = await run(m, feeds);
    expect(bitDifference(outputs.h_out!, feeds.h!)).toBeUndefined();
    expect(outputs.f_out!.dims).toEqual([2, 3, 4]);
  });

  it('rounds JSON numbers to float16 exactly as NumPy does', async () => {
    const source = parseNpy(readFileSync(join(NPY, 'half-source-f8.npy'))).data as Float64Array;
    const expected = parseNpy(readFileSync(join(NPY, 'half-expected-f2.npy'))).data as Uint16Array;
    // JSON.stringify writes -0 as 0.
    const path = file(`[${Array.from(source, (v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}]`);
    const { feeds } = await prepareFeeds(singleInputModel(DataType.FLOAT16, ['n']), { inputFiles: { x: path } });
    const got = Array.from(feeds.x!.data as Uint16Array);
    expect(got.map((bits, i) => `${source[i]} → ${bits.toString(16)}`)).toEqual(Array.from(expected, (bits, i) => `${source[i]} → ${bits.toString(16)}`));
  });

  it('reads bare scalars and nested arrays for 0-d and empty tensors', async () => {
    const scalar = await prepareFeeds(singleInputModel(DataType.INT32, []), { inputFiles: { x: file('7') } });
    expect(scalar.inputs[0]!.dims).toEqual([]);
    expect(Array.from(scalar.feeds.x!.data as Int32Array)).toEqual([7]);
    const empty = await prepareFeeds(singleInputModel(DataType.FLOAT, ['a', 'b']), { inputFiles: { x: file('{"dims": [2, 0], "data": [[], []]}') } });
    expect(empty.inputs[0]!.dims).toEqual([2, 0]);
    const npyEmpty = await prepareFeeds(singleInputModel(DataType.FLOAT, [2, 'z', 3]), { inputFiles: { x: join(NPY, 'empty-f4.npy') } });
    expect((await run(singleInputModel(DataType.FLOAT, [2, 'z', 3]), npyEmpty.feeds)).y!.dims).toEqual([2, 0, 3]);
  });

  const badFiles: [string, () => FeedRequest, string][] = [
    ['an .npy of another dtype', () => ({ inputFiles: { f: join(NPY, 'i4.npy') } }), `${join(NPY, 'i4.npy')}: holds int32, but the model's input is float32`],
    ['an .npy of another rank', () => ({ inputFiles: { f: f4, ids: join(NPY, 'i8.npy') } }), `${join(NPY, 'i8.npy')}: has dims [2, 3, 4], which do not fit input "ids" [batch, seq]`],
    ['JSON dims that differ from a fixed dim', () => ({ inputFiles: { f: file('{"dims": [1, 2, 4], "data": [1, 2, 3, 4, 5, 6, 7, 8]}') } }), 'has dims [1, 2, 4], which do not fit input "f" [batch, 3, 4]'],
    ['a JSON dtype that differs', () => ({ inputFiles: { f: file('{"dtype": "int32", "data": [[[1]]]}') } }), `says dtype "int32", but the model's input is float32`],
    ['JSON with too few elements', () => ({ inputFiles: { f: file('{"dims": [1, 3, 4], "data": [1, 2]}') } }), '"dims" [1, 3, 4] need 12 elements, but "data" has 2'],
    ['JSON nested otherwise than its dims', () => ({ inputFiles: { f: file('{"dims": [1, 3, 4], "data": [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]}') } }), 'data is nested as [3, 4], but "dims" are [1, 3, 4]'],
    ['ragged JSON', () => ({ inputFiles: { f: file('[[[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3]]]') } }), 'data is not a regular nested array: data[0][2] has 3 items, not 4'],
    ['JSON with a number where an array belongs', () => ({ inputFiles: { f: file('[[[1, 2, 3, 4], 5, [1, 2, 3, 4]]]') } }), 'data[0][1] has no items, not 4'],
    ['JSON nested too deep', () => ({ inputFiles: { f: file(`${'['.repeat(100)}1${']'.repeat(100)}`) } }), 'data is nested deeper than 64 levels'],
    ['a non-integer for int64', () => ({ inputFiles: { f: f4, ids: file('[[1, 2.5]]') } }), 'element 1 is 2.5, not an integer in the range of int64'],
    ['an integer out of range', () => ({ ...PINNED, inputFiles: { u8: file('[[1, 2, 3, 4, 256]]') } }), 'element 4 is 256, not an integer in the range of uint8'],
    ['a string for a float', () => ({ inputFiles: { f: file('[[["1", 2, 3, 4]]]') } }), 'element 0 is "1", not a number'],
    ['a 2 for a bool', () => ({ inputFiles: { f: f4, mask: file('[[0, 1, 2]]') } }), 'element 2 is 2, not true, false, 0 or 1'],
    ['JSON with an unknown key', () => ({ inputFiles: { f: file('{"shape": [1], "data": [1]}') } }), 'unknown key "shape"'],
    ['JSON without data', () => ({ inputFiles: { f: file('{"dims": [1]}') } }), 'has no "data"'],
    ['bad dims in JSON', () => ({ inputFiles: { f: file('{"dims": [1, -3, 4], "data": []}') } }), '"dims" must be an array of sizes'],
    ['text that is not JSON', () => ({ inputFiles: { f: file('{data: 1}') } }), 'is not valid JSON'],
    ['a garbage .npy', () => ({ inputFiles: { f: file('not numpy', '.npy') } }), 'not a .npy file'],
    ['another extension', () => ({ inputFiles: { f: file('1,2,3', '.csv') } }), 'input files must be .npy or .json'],
    ['a missing file', () => ({ inputFiles: { f: join(dir, 'missing.npy') } }), `${join(dir, 'missing.npy')}: cannot be read (ENOENT)`],
    ['a file for no input', () => ({ inputFiles: { nope: f4 } }), `${f4} is given for "nope", but the model has no such input; its inputs are f, ids, mask, h, d, i8, u8, i16, u16, i32, u32, u64`],
  ];

  it.each(badFiles)('refuses %s, naming the file', async (_, request, message) => {
    const promise = prepareFeeds(typedModel(), request());
    await expect(promise).rejects.toThrow(InputFeedError);
    await expect(promise).rejects.toThrow(message);
  });

  it('reports dims that still lack a pin after the files', async () => {
    await expect(prepareFeeds(typedModel(), { inputFiles: { f: f4 } })).rejects.toThrow('input "ids" has unpinned dims [seq]: pin them to the sizes you deploy with (command line: --input ids=2xN;');
  });
});
