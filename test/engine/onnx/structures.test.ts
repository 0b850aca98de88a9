import { describe, expect, it } from 'vitest';
import { DataType, decodeModel, encodeModel, type AttributeProto, type ModelProto } from '../../../engine/core/onnx/index.js';
import { summarizeModel, validateModel } from '../../../engine/core/graph/index.js';
import { attr, entry, fn, graph, leBytes, model, node, opset, sparseTensor, tensor, tensorType, valueInfo } from '../../support/build.js';
import { ort, runBytes, SESSION_OPTIONS } from '../../support/ort.js';
import { protoDifference } from '../../support/proto-equal.js';

// Hand-made models for the parts of the schema the corpus rarely shows. Each is encoded,
// decoded and compared field by field with what was built; the runnable ones also go through
// onnxruntime, whose outputs are checked against values worked out by hand.

const F = DataType.FLOAT;
const I64 = DataType.INT64;
const BOOL = DataType.BOOL;

function floats(...v: number[]): Uint8Array {
  return leBytes(new Float32Array(v));
}

function roundTrip(m: ModelProto): ModelProto {
  const back = decodeModel(encodeModel(m));
  expect(protoDifference(m, back)).toBeUndefined();
  return back;
}

async function run(m: ModelProto, feeds: Record<string, ort.Tensor>): Promise<Record<string, number[]>> {
  const result = await runBytes(encodeModel(m), feeds);
  if ('error' in result) throw new Error(result.error);
  return Object.fromEntries(Object.entries(result.outputs).map(([k, t]) => [k, Array.from(t.data as Float32Array)]));
}

const vec = (values: number[]): ort.Tensor => new ort.Tensor('float32', Float32Array.from(values), [values.length]);
const flag = (v: boolean): ort.Tensor => new ort.Tensor('bool', [v], []);

describe('sparse initializers', () => {
  // Dense [2, 3] with 5 at (0, 1) and 7 at (1, 2): linear indices 1 and 5.
  const sparse = sparseTensor(
    tensor({ name: 'w', dataType: F, dims: [2], rawData: floats(5, 7) }),
    tensor({ name: 'w_indices', dataType: I64, dims: [2], rawData: leBytes(new BigInt64Array([1n, 5n])) }),
    [2, 3],
  );
  const m = model(
    graph({
      sparseInitializer: [sparse],
      input: [valueInfo('x', F, [2, 3])],
      node: [node('Add', ['x', 'w'], ['y'])],
      output: [valueInfo('y', F, [2, 3])],
    }),
  );

  it('round-trip and run in onnxruntime as their dense value', async () => {
    roundTrip(m);
    expect(await run(m, { x: new ort.Tensor('float32', new Float32Array(6).fill(1), [2, 3]) })).toEqual({ y: [1, 6, 1, 1, 1, 8] });
  });

  it('count as parameters at their dense size, and define their name for validation', () => {
    const s = summarizeModel(m);
    expect(s.params).toBe(6);
    expect(s.findings).toEqual([]);
  });
});

describe('control flow with outer-scope names', () => {
  // If: then = x2 * two (x2 and two from the outer graph), else = x (an outer graph input).
  const ifModel = model(
    graph({
      input: [valueInfo('cond', BOOL, []), valueInfo('x', F, [2])],
      initializer: [tensor({ name: 'two', dataType: F, dims: [], rawData: floats(2) })],
      node: [
        node('Add', ['x', 'x'], ['x2']),
        node('If', ['cond'], ['y'], [
          attr.graph('then_branch', graph({ name: 'then', node: [node('Mul', ['x2', 'two'], ['t'])], output: [valueInfo('t', F, [2])] })),
          attr.graph('else_branch', graph({ name: 'else', node: [node('Identity', ['x'], ['e'])], output: [valueInfo('e', F, [2])] })),
        ]),
      ],
      output: [valueInfo('y', F, [2])],
    }),
  );

  it('If: both branches round-trip and run with outer-scope values', async () => {
    roundTrip(ifModel);
    expect(await run(ifModel, { cond: flag(true), x: vec([1, -3]) })).toEqual({ y: [4, -12] });
    expect(await run(ifModel, { cond: flag(false), x: vec([1, -3]) })).toEqual({ y: [1, -3] });
    expect(validateModel(ifModel)).toEqual([]);
  });

  // Loop 3 times: v ← v + step, where step is an outer-scope initializer; scan out v each time.
  const loopModel = model(
    graph({
      input: [valueInfo('v0', F, [2])],
      initializer: [
        tensor({ name: 'trips', dataType: I64, dims: [], rawData: leBytes(new BigInt64Array([3n])) }),
        tensor({ name: 'keep_going', dataType: BOOL, dims: [], rawData: Uint8Array.from([1]) }),
        tensor({ name: 'step', dataType: F, dims: [2], rawData: floats(1, 10) }),
      ],
      node: [
        node('Loop', ['trips', 'keep_going', 'v0'], ['v_final', 'v_each'], [
          attr.graph(
            'body',
            graph({
              name: 'body',
              input: [valueInfo('i', I64, []), valueInfo('c_in', BOOL, []), valueInfo('v_in', F, [2])],
              node: [node('Identity', ['c_in'], ['c_out']), node('Add', ['v_in', 'step'], ['v_out']), node('Identity', ['v_out'], ['scan_out'])],
              output: [valueInfo('c_out', BOOL, []), valueInfo('v_out', F, [2]), valueInfo('scan_out', F, [2])],
            }),
          ),
        ]),
      ],
      output: [valueInfo('v_final', F, [2]), valueInfo('v_each', F, [3, 2])],
    }),
  );

  it('Loop: the body round-trips and runs with an outer-scope initializer', async () => {
    roundTrip(loopModel);
    expect(await run(loopModel, { v0: vec([0, 0.5]) })).toEqual({ v_final: [3, 30.5], v_each: [1, 10.5, 2, 20.5, 3, 30.5] });
    expect(validateModel(loopModel)).toEqual([]);
  });

  // Scan over rows of xs: s ← s + row; emit s * scale (scale from the outer graph).
  const scanModel = model(
    graph({
      input: [valueInfo('s0', F, [2]), valueInfo('xs', F, [3, 2])],
      initializer: [tensor({ name: 'scale', dataType: F, dims: [], rawData: floats(0.5) })],
      node: [
        node('Scan', ['s0', 'xs'], ['s_final', 'ys'], [
          attr.int('num_scan_inputs', 1),
          attr.graph(
            'body',
            graph({
              name: 'scan_body',
              input: [valueInfo('s_in', F, [2]), valueInfo('x_t', F, [2])],
              node: [node('Add', ['s_in', 'x_t'], ['s_out']), node('Mul', ['s_out', 'scale'], ['y_t'])],
              output: [valueInfo('s_out', F, [2]), valueInfo('y_t', F, [2])],
            }),
          ),
        ]),
      ],
      output: [valueInfo('s_final', F, [2]), valueInfo('ys', F, [3, 2])],
    }),
  );

  it('Scan: the body round-trips and runs with an outer-scope initializer', async () => {
    roundTrip(scanModel);
    const xs = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    expect(await run(scanModel, { s0: vec([0, 0]), xs })).toEqual({ s_final: [9, 12], ys: [0.5, 1, 2, 3, 4.5, 6] });
    expect(validateModel(scanModel)).toEqual([]);
  });
});

/** An attribute with no value of its own: it takes the calling node's attribute `ref`. */
function refAttribute(name: string, type: number, ref: string): AttributeProto {
  const { f: _value, ...rest } = attr.float(name, 0);
  return { ...rest, type, refAttrName: ref };
}

describe('model-local functions', () => {
  // local.ScaledAdd(a, b; alpha = 2.0) = (a + b) * alpha, alpha read through ref_attr_name.
  const scaledAdd = fn({
    name: 'ScaledAdd',
    domain: 'local',
    docString: 'adds, then scales by alpha',
    input: ['a', 'b'],
    output: ['c'],
    attributeProto: [attr.float('alpha', 2)],
    opsetImport: [opset(21)],
    node: [
      node('Add', ['a', 'b'], ['sum']),
      node('Constant', [], ['alpha_t'], [refAttribute('value_float', 1, 'alpha')]),
      node('Mul', ['sum', 'alpha_t'], ['c']),
    ],
    valueInfo: [valueInfo('sum', F, [2])],
    metadataProps: [entry('origin', 'hand-made')],
  });

  const callWith = (attrs: ReturnType<typeof attr.float>[]): ModelProto =>
    model(
      graph({
        input: [valueInfo('x', F, [2]), valueInfo('y', F, [2])],
        node: [node('ScaledAdd', ['x', 'y'], ['z'], attrs, { domain: 'local' })],
        output: [valueInfo('z', F, [2])],
      }),
      { functions: [scaledAdd], opsetImport: [opset(21), opset(1, 'local')] },
    );

  it('round-trip with attribute defaults and references, and run in onnxruntime', async () => {
    const byDefault = callWith([]);
    const back = roundTrip(byDefault);
    expect(back.functions[0]!.node[1]!.attribute[0]!.refAttrName).toBe('alpha');
    expect(back.functions[0]!.node[1]!.attribute[0]!.f).toBeUndefined();
    expect(await run(byDefault, { x: vec([1, 2]), y: vec([3, 4]) })).toEqual({ z: [8, 12] });
    expect(await run(callWith([attr.float('alpha', -1)]), { x: vec([1, 2]), y: vec([3, 4]) })).toEqual({ z: [-4, -6] });
  });

  it('a call into a function domain the model does not import is a finding, as onnxruntime refuses it', async () => {
    const m = { ...callWith([]), opsetImport: [opset(21)] };
    const result = await runBytes(encodeModel(m), { x: vec([1, 2]), y: vec([3, 4]) });
    expect('error' in result && result.error).toMatch(/No opset import for domain 'local'/);
    expect(validateModel(m).map((f) => f.code)).toEqual(['missing-opset']);
    expect(validateModel(callWith([]))).toEqual([]);
  });
});

describe('metadata and doc strings', () => {
  it('round-trip on the model, graph, nodes, values and tensors', () => {
    const w = tensor({ name: 'w', dataType: F, dims: [1], rawData: floats(3), docString: 'a weight', metadataProps: [entry('unit', 'volts')] });
    const x = { ...valueInfo('x', F, [1]), docString: 'the input', metadataProps: [entry('range', '[0, 1]')] };
    const m = model(
      graph({
        name: 'main',
        docString: 'graph docs',
        metadataProps: [entry('graph-key', 'graph-value')],
        input: [x],
        initializer: [w],
        node: [node('Mul', ['x', 'w'], ['y'], [], { name: 'scale', docString: 'multiplies', metadataProps: [entry('stage', '1')] })],
        output: [valueInfo('y', F, [1])],
      }),
      {
        producerName: 'hand',
        producerVersion: '0.1',
        domain: 'org.example',
        modelVersion: 42,
        docString: 'A model with docs: ✓',
        metadataProps: [entry('author', 'someone'), entry('licence', 'MIT'), entry('__proto__', 'kept as a plain key')],
      },
    );
    const back = roundTrip(m);
    const s = summarizeModel(back);
    expect(s.docString).toBe('A model with docs: ✓');
    expect(s.producer).toEqual({ name: 'hand', version: '0.1' });
    expect(Object.entries(s.metadata)).toEqual([
      ['author', 'someone'],
      ['licence', 'MIT'],
      ['__proto__', 'kept as a plain key'],
    ]);
    expect(Object.getPrototypeOf(s.metadata)).toBeNull();
  });
});

describe('unknown fields', () => {
  // Field 99 (varint 150), 100 (bytes "hi"), 101 (fixed32), 102 (fixed64): tags 0x98 0x06, 0xa2 0x06, 0xad 0x06, 0xb1 0x06.
  const unknownTail = Uint8Array.from([
    0x98, 0x06, 0x96, 0x01, 0xa2, 0x06, 0x02, 0x68, 0x69, 0xad, 0x06, 1, 2, 3, 4, 0xb1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8,
  ]);
  const base = model(
    graph({ input: [valueInfo('x', F, [1])], node: [node('Neg', ['x'], ['y'])], output: [valueInfo('y', F, [1])] }),
  );

  it('are kept as raw bytes, written back, and the model still runs', async () => {
    const bytes = Uint8Array.from([...encodeModel(base), ...unknownTail]);
    const decoded = decodeModel(bytes);
    expect(decoded.unknownFields?.map((u) => Array.from(u))).toEqual([
      [0x98, 0x06, 0x96, 0x01],
      [0xa2, 0x06, 0x02, 0x68, 0x69],
      [0xad, 0x06, 1, 2, 3, 4],
      [0xb1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8],
    ]);
    const reencoded = encodeModel(decoded);
    // The model's own fields are written first, so the unknown ones come back as the same tail.
    expect(Buffer.from(reencoded).equals(Buffer.from(bytes))).toBe(true);
    expect(protoDifference(decoded, decodeModel(reencoded))).toBeUndefined();
    expect(await run(decoded, { x: vec([2]) })).toEqual({ y: [-2] });
  });

  it('inside nested messages survive a round trip', () => {
    const m = model(
      graph({
        input: [{ ...valueInfo('x', F, [1]), unknownFields: [Uint8Array.from([0xf8, 0x07, 0x01])] }],
        node: [{ ...node('Neg', ['x'], ['y']), unknownFields: [Uint8Array.from([0x98, 0x06, 0x07])] }],
        output: [valueInfo('y', F, [1])],
      }),
    );
    const back = roundTrip(m);
    expect(Array.from(back.graph!.node[0]!.unknownFields![0]!)).toEqual([0x98, 0x06, 0x07]);
    expect(Array.from(back.graph!.input[0]!.unknownFields![0]!)).toEqual([0xf8, 0x07, 0x01]);
  });
});

describe('integer attributes', () => {
  const INT64_MAX = 2n ** 63n - 1n;
  const INT64_MIN = -(2n ** 63n);

  it('keep INT64_MAX, INT64_MIN and -1 exact', () => {
    const m = model(
      graph({
        node: [node('Custom', [], ['y'], [attr.int('big', INT64_MAX), attr.ints('list', [INT64_MIN, INT64_MAX, -1n, 0n]), attr.float('neg_zero', -0)], { domain: 'x' })],
        output: [valueInfo('y', F)],
      }),
      { opsetImport: [opset(21), opset(1, 'x')] },
    );
    const back = roundTrip(m);
    const [big, list, negZero] = back.graph!.node[0]!.attribute;
    expect(big!.i).toBe(9223372036854775807n);
    expect(list!.ints).toEqual([-9223372036854775808n, 9223372036854775807n, -1n, 0n]);
    expect(Object.is(negZero!.f, -0)).toBe(true);
  });

  it('INT64_MAX as Slice ends means "to the end" in onnxruntime', async () => {
    // Slice-1 takes starts/ends as attributes: x[1:INT64_MAX] of [1, 2, 3, 4].
    const m = model(
      graph({
        input: [valueInfo('x', F, [4])],
        node: [node('Slice', ['x'], ['y'], [attr.ints('starts', [1]), attr.ints('ends', [INT64_MAX]), attr.ints('axes', [0])])],
        output: [valueInfo('y', F, [3])],
      }),
      { irVersion: 3, opsetImport: [opset(7)] },
    );
    roundTrip(m);
    expect(await run(m, { x: vec([1, 2, 3, 4]) })).toEqual({ y: [2, 3, 4] });
  });
});

describe('dimensions', () => {
  // dim_value 0 (an empty axis), a Dimension with neither field (unknown), and a dim_param.
  const m = model(
    graph({
      input: [
        valueInfo('x', F, [0, null, 'N', 3]),
        { name: 'any_rank', type: tensorType(F), docString: '', metadataProps: [] },
        valueInfo('scalar', F, []),
      ],
      node: [node('Identity', ['x'], ['y'])],
      output: [valueInfo('y', F, [0, null, 'N', 3])],
    }),
  );

  it('keep dim_value 0, absent, and dim_param apart', () => {
    const back = roundTrip(m);
    const dims = back.graph!.input[0]!.type!.tensorType!.shape!.dim;
    expect(dims.map((d) => ('dimValue' in d ? `value ${d.dimValue}` : 'dimParam' in d ? `param ${d.dimParam}` : 'unknown'))).toEqual(['value 0', 'unknown', 'param N', 'value 3']);
    expect(back.graph!.input[1]!.type!.tensorType!.shape).toBeUndefined();
    expect(back.graph!.input[2]!.type!.tensorType!.shape).toEqual({ dim: [] });
    expect(summarizeModel(back).inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: [0, null, 'N', 3] },
      { name: 'any_rank', dtype: 'float32' },
      { name: 'scalar', dtype: 'float32', shape: [] },
    ]);
  });

  it('reach onnxruntime as they were written', async () => {
    const session = await ort.InferenceSession.create(encodeModel(m), SESSION_OPTIONS);
    try {
      const x = session.inputMetadata[0]!;
      expect(x.isTensor && x.shape).toEqual([0, '', 'N', 3]);
      const scalar = session.inputMetadata[2]!;
      expect(scalar.isTensor && scalar.shape).toEqual([]);
    } finally {
      await session.release();
    }
  });
});

describe('the rest of the schema', () => {
  it('training info, device configurations, sharding, quantization annotations, segments and non-tensor types round-trip', () => {
    const g = graph({
      input: [
        { name: 'seq', type: { denotation: '', sequenceType: { elemType: tensorType(F, [2]) } }, docString: '', metadataProps: [] },
        { name: 'map', type: { denotation: 'MAP', mapType: { keyType: I64, valueType: tensorType(F) } }, docString: '', metadataProps: [] },
        { name: 'opt', type: { denotation: '', optionalType: { elemType: tensorType(F, ['B']) } }, docString: '', metadataProps: [] },
        { name: 'opq', type: { denotation: '', opaqueType: { domain: 'org.example', name: 'Blob' } }, docString: '', metadataProps: [] },
        { name: 'sp', type: { denotation: '', sparseTensorType: { elemType: F, shape: { dim: [{ dimValue: 4, denotation: 'DATA_FEATURE' }] } } }, docString: '', metadataProps: [] },
      ],
      initializer: [tensor({ name: 'chunk', dataType: F, dims: [4], segment: { begin: 0, end: 2 }, rawData: floats(1, 2) })],
      node: [
        node('Identity', ['seq'], ['out'], [attr.tensor('t', tensor({ dataType: F, dims: [1], rawData: floats(1) }))], {
          deviceConfigurations: [
            {
              configurationId: 'two-gpus',
              pipelineStage: 1,
              shardingSpec: [
                {
                  tensorName: 'seq',
                  device: [0, 1],
                  indexToDeviceGroupMap: [{ key: 0, value: [0, 1] }],
                  shardedDim: [{ axis: 0, simpleSharding: [{ dimValue: 8, numShards: 2 }, { dimParam: 'N', numShards: 2 }] }],
                },
              ],
            },
          ],
          overload: 'v2',
        }),
      ],
      output: [valueInfo('out', F)],
      quantizationAnnotation: [{ tensorName: 'out', quantParameterTensorNames: [entry('SCALE_TENSOR', 's'), entry('ZERO_POINT_TENSOR', 'z')] }],
      valueInfo: [valueInfo('tmp', F, [1])],
    });
    const m = model(g, {
      irVersion: 11,
      trainingInfo: [
        {
          initialization: graph({ name: 'init' }),
          algorithm: graph({ name: 'step' }),
          initializationBinding: [entry('w', 'w0')],
          updateBinding: [entry('w', 'w1')],
        },
      ],
      configuration: [{ name: 'two-gpus', numDevices: 2, device: ['cuda:0', 'cuda:1'] }],
    });
    roundTrip(m);
  });

  it('every IR version from 3 to 11 round-trips', () => {
    for (let ir = 3; ir <= 11; ir++) {
      const m = model(graph({ input: [valueInfo('x', F, [1])], node: [node('Relu', ['x'], ['y'])], output: [valueInfo('y', F, [1])] }), { irVersion: ir, opsetImport: [opset(ir < 5 ? 7 : 13)] });
      expect(roundTrip(m).irVersion).toBe(ir);
    }
  });
});
