import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../engine/core/graph/index.js';
import { DataType, decodeModel, encodeModel } from '../../../engine/core/onnx/index.js';
import { attr, entry, fn, graph, model, node, opset, sparseTensor, tensor, valueInfo } from '../../support/build.js';
import { rawCounts } from '../../support/raw-onnx.js';

const F = DataType.FLOAT;
const utf8 = new TextEncoder();

// Every count below is worked out by hand in the comments.
function handMade() {
  const strings = (list: string[]) => list.map((s) => utf8.encode(s));
  return model(
    graph({
      name: 'counted',
      input: [valueInfo('x', F, ['N', 3]), valueInfo('w', F, [2, 3]), valueInfo('cond', DataType.BOOL, [])],
      initializer: [
        tensor({ name: 'w', dataType: F, dims: [2, 3], rawData: new Uint8Array(24) }), // 6 elements, 24 bytes
        tensor({ name: 'q', dataType: 22, dims: [5], rawData: new Uint8Array(3) }), // int4: 5 elements, 3 bytes
        tensor({ name: 'labels', dataType: DataType.STRING, dims: [2], stringData: strings(['ab', 'cde']) }), // 2 elements, 5 bytes
        tensor({ name: 'h', dataType: DataType.FLOAT16, dims: [4], rawData: new Uint8Array(8) }), // 4 elements, 8 bytes
        tensor({ name: 'big', dataType: F, dims: [4], dataLocation: 1, externalData: [entry('location', 'w.bin'), entry('offset', '0'), entry('length', '16')] }), // 4, 16
      ],
      sparseInitializer: [
        // dense [10]: 10 elements, 40 bytes, though only 2 are stored
        sparseTensor(tensor({ name: 's', dataType: F, dims: [2], rawData: new Uint8Array(8) }), tensor({ name: 's_i', dataType: DataType.INT64, dims: [2], rawData: new Uint8Array(16) }), [10]),
      ],
      node: [
        node('Constant', [], ['c1'], [attr.tensor('value', tensor({ dataType: F, dims: [2], rawData: new Uint8Array(8) }))]), // 2, 8
        node('Constant', [], ['c2'], [attr.ints('value_ints', [1, 2, 3])]), // 3 int64: 3, 24
        node('Constant', [], ['c3'], [attr.float('value_float', 0.5)]), // 1, 4
        node('Constant', [], ['c4'], [{ ...attr.ints('value_strings', []), type: 8, ints: [], strings: strings(['x', 'yz']) }]), // 2, 3
        node('ConstantOfShape', ['c2'], ['zeros'], [attr.tensor('value', tensor({ dataType: F, dims: [1], rawData: new Uint8Array(4) }))]), // not a weight
        node('If', ['cond'], ['y'], [
          attr.graph('then_branch', graph({ node: [node('Constant', [], ['k'], [attr.tensor('value', tensor({ dataType: DataType.INT64, dims: [1], rawData: new Uint8Array(8) }))])], output: [valueInfo('k', DataType.INT64)] })), // 1, 8
          attr.graph('else_branch', graph({ node: [node('Shape', ['x'], ['shape'])], output: [valueInfo('shape', DataType.INT64)] })),
        ]),
        node('Fancy', ['x'], ['f'], [], { domain: 'com.example' }),
      ],
      output: [valueInfo('y', DataType.INT64, [null])],
    }),
    { opsetImport: [opset(21), opset(1, 'com.example')], functions: [fn({ name: 'Unused', domain: 'com.example' })] },
  );
}

describe('summarizeModel', () => {
  const s = summarizeModel(decodeModel(encodeModel(handMade())));

  it('counts parameters and weight bytes of initializers, sparse initializers and Constant nodes, subgraphs included', () => {
    expect(s.params).toBe(6 + 5 + 2 + 4 + 4 + 10 + 2 + 3 + 1 + 2 + 1);
    expect(s.weightBytes).toBe(24 + 3 + 5 + 8 + 16 + 40 + 8 + 24 + 4 + 3 + 8);
  });

  it('agrees with the independent wire-format walk (which skips sparse initializers)', () => {
    const raw = rawCounts(encodeModel(handMade()));
    expect(raw.params).toBe(s.params - 10);
    expect(raw.weightBytes).toBe(s.weightBytes - 40);
    expect(raw.nodeCount).toBe(s.nodeCount);
    expect(raw.subgraphCount).toBe(s.subgraphCount);
    expect(raw.opTypes).toEqual({ ...s.opTypes });
  });

  it('lists external data by file without reading it', () => {
    expect(s.externalData).toEqual([{ location: 'w.bin', tensors: 1, bytes: 16 }]);
  });

  it('counts nodes and op types of every graph, naming custom domains', () => {
    expect(s.nodeCount).toBe(7 + 1 + 1);
    expect(s.subgraphCount).toBe(2);
    expect(s.functionCount).toBe(1);
    expect({ ...s.opTypes }).toEqual({ Constant: 5, ConstantOfShape: 1, If: 1, Shape: 1, 'com.example.Fancy': 1 });
    // Most frequent first, then by name.
    expect(Object.keys(s.opTypes)[0]).toBe('Constant');
  });

  it('shows graph inputs that are not initializers, with symbolic dims by name', () => {
    expect(s.inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: ['N', 3] },
      { name: 'cond', dtype: 'bool', shape: [] },
    ]);
    expect(s.outputs).toEqual([{ name: 'y', dtype: 'int64', shape: [null] }]);
    expect(s.graphName).toBe('counted');
    expect({ ...s.opsets }).toEqual({ 'ai.onnx': 21, 'com.example': 1 });
  });

  it('describes non-tensor types', () => {
    const m = handMade();
    m.graph!.output = [
      { name: 'seq', type: { denotation: '', sequenceType: { elemType: { denotation: '', tensorType: { elemType: F } } } }, docString: '', metadataProps: [] },
      { name: 'map', type: { denotation: '', mapType: { keyType: DataType.STRING, valueType: { denotation: '', tensorType: { elemType: DataType.INT64 } } } }, docString: '', metadataProps: [] },
      { name: 'opt', type: { denotation: '', optionalType: { elemType: { denotation: '', tensorType: { elemType: F } } } }, docString: '', metadataProps: [] },
      { name: 'sparse', type: { denotation: '', sparseTensorType: { elemType: F, shape: { dim: [{ dimValue: 4, denotation: '' }] } } }, docString: '', metadataProps: [] },
      { name: 'untyped', docString: '', metadataProps: [] },
    ];
    expect(summarizeModel(m).outputs).toEqual([
      { name: 'seq', dtype: 'sequence<float32>' },
      { name: 'map', dtype: 'map<string,int64>' },
      { name: 'opt', dtype: 'optional<float32>' },
      { name: 'sparse', dtype: 'sparse float32', shape: [4] },
      { name: 'untyped', dtype: 'unknown' },
    ]);
  });

  it('is plain JSON-safe data', () => {
    // No bigints, Maps or class instances: what the CLI prints with --json and the UI receives.
    expect(JSON.parse(JSON.stringify(s))).toEqual({ ...s, opsets: { ...s.opsets }, opTypes: { ...s.opTypes }, metadata: { ...s.metadata } });
  });
});
