import { describe, expect, it } from 'vitest';
import { GraphView, cloneProto, namesIn, removeNodes, removeUnusedInitializers, renameUses, uniqueName, validateModel } from '../../../engine/core/graph/index.js';
import { DataType, decodeModel, encodeModel, type GraphProto, type ModelProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, leBytes, model, node, tensor, valueInfo } from '../../support/build.js';
import { ort, runBytes } from '../../support/ort.js';
import { protoDifference } from '../../support/proto-equal.js';

const F = DataType.FLOAT;
const BOOL = DataType.BOOL;
const I64 = DataType.INT64;
const scalar = (name: string, v: number) => tensor({ name, dataType: F, dims: [], rawData: leBytes(new Float32Array([v])) });

/**
 * x → Identity → xi, read by: a Mul in the main graph, an If branch (outer scope), and a Loop
 * body whose own input is also called `xi` (shadowing the outer one).
 */
function withIdentity(): ModelProto {
  const loopBody = graph({
    name: 'body',
    input: [valueInfo('i', I64, []), valueInfo('c', BOOL, []), valueInfo('xi', F, [2])],
    node: [node('Identity', ['c'], ['c_out']), node('Add', ['xi', 'one'], ['xi_next'])],
    output: [valueInfo('c_out', BOOL, []), valueInfo('xi_next', F, [2])],
  });
  return model(
    graph({
      input: [valueInfo('x', F, [2]), valueInfo('cond', BOOL, [])],
      initializer: [
        scalar('two', 2),
        scalar('one', 1),
        tensor({ name: 'trips', dataType: I64, dims: [], rawData: leBytes(new BigInt64Array([2n])) }),
        scalar('unused', 9),
      ],
      node: [
        node('Identity', ['x'], ['xi'], [], { name: 'id' }),
        node('Mul', ['xi', 'two'], ['m'], [], { name: 'mul' }),
        node('If', ['cond'], ['branch_out'], [
          attr.graph('then_branch', graph({ name: 'then', node: [node('Neg', ['xi'], ['neg'], [], { name: 'neg' })], output: [valueInfo('neg', F, [2])] })),
          attr.graph('else_branch', graph({ name: 'else', node: [node('Identity', ['xi'], ['same'], [], { name: 'same' })], output: [valueInfo('same', F, [2])] })),
        ], { name: 'if' }),
        node('Loop', ['trips', '', 'm'], ['looped'], [attr.graph('body', loopBody)], { name: 'loop' }),
      ],
      output: [valueInfo('branch_out', F, [2]), valueInfo('looped', F, [2])],
    }),
  );
}

async function outputs(m: ModelProto, x: number[], cond: boolean): Promise<Record<string, number[]>> {
  const result = await runBytes(encodeModel(m), { x: new ort.Tensor('float32', Float32Array.from(x), [2]), cond: new ort.Tensor('bool', [cond], []) });
  if ('error' in result) throw new Error(result.error);
  return Object.fromEntries(Object.entries(result.outputs).map(([k, t]) => [k, Array.from(t.data as Float32Array)]));
}

describe('cloneProto', () => {
  it('gives an independent copy: editing the clone leaves the original as decoded', () => {
    const bytes = encodeModel(withIdentity());
    const original = decodeModel(bytes);
    const clone = cloneProto(original);
    expect(protoDifference(original, clone)).toBeUndefined();

    clone.graph!.node[0]!.name = 'renamed';
    clone.graph!.node.push(node('Relu', ['m'], ['r']));
    clone.graph!.initializer[0]!.dims.push(1);
    clone.graph!.node[2]!.attribute[0]!.g!.node[0]!.input[0] = 'other';
    clone.opsetImport[0]!.version = 1;
    clone.graph!.input[0]!.type!.tensorType!.shape!.dim[0]!.dimValue = 99;

    expect(protoDifference(original, decodeModel(bytes))).toBeUndefined();
  });

  it('shares byte views (weights are never copied) and keeps null prototypes and bigints', () => {
    const original = decodeModel(encodeModel(withIdentity()));
    const clone = cloneProto(original);
    expect(clone.graph!.initializer[0]!.rawData).toBe(original.graph!.initializer[0]!.rawData);
    expect(clone.graph!.initializer[0]).not.toBe(original.graph!.initializer[0]);
    expect(Object.getPrototypeOf(clone.graph)).toBe(Object.getPrototypeOf(original.graph));
    expect('constructor' in clone.graph!).toBe(false);
    const ints = decodeModel(encodeModel(model(graph({ node: [node('X', [], ['y'], [attr.ints('big', [2n ** 63n - 1n])], { domain: 'd' })] }))));
    expect(cloneProto(ints).graph!.node[0]!.attribute[0]!.ints).toEqual([9223372036854775807n]);
  });
});

describe('renameUses', () => {
  it('renames reads in the graph and in subgraphs that see the outer value, not in one that shadows it', () => {
    const g = withIdentity().graph!;
    renameUses(g, 'xi', 'x');
    expect(g.node[1]!.input).toEqual(['x', 'two']);
    const [then, otherwise] = g.node[2]!.attribute.map((a) => a.g!);
    expect(then!.node[0]!.input).toEqual(['x']);
    expect(otherwise!.node[0]!.input).toEqual(['x']);
    // The Loop body binds its own `xi`: its reads are of that input, and must stay.
    const body = g.node[3]!.attribute[0]!.g!;
    expect(body.input.map((v) => v.name)).toEqual(['i', 'c', 'xi']);
    expect(body.node[1]!.input).toEqual(['xi', 'one']);
    // The producer keeps its output name; only readers change.
    expect(g.node[0]!.output).toEqual(['xi']);
  });

  it('renames a subgraph output that names the outer value', () => {
    const g = graph({
      input: [valueInfo('cond', BOOL, [])],
      node: [
        node('Relu', ['x'], ['old']),
        node('If', ['cond'], ['y'], [attr.graph('then_branch', graph({ output: [valueInfo('old', F)] })), attr.graph('else_branch', graph({ input: [valueInfo('old', F)], output: [valueInfo('old', F)] }))]),
      ],
    });
    renameUses(g, 'old', 'new');
    expect(g.node[1]!.attribute[0]!.g!.output[0]!.name).toBe('new');
    expect(g.node[1]!.attribute[1]!.g!.output[0]!.name).toBe('old');
  });

  it('with removeNodes, eliminates an Identity and the model computes the same in onnxruntime', async () => {
    const before = withIdentity();
    const after = cloneProto(before);
    const g = after.graph!;
    const identity = g.node.find((n) => n.opType === 'Identity')!;
    removeNodes(g, new Set([identity]));
    renameUses(g, 'xi', 'x');
    expect(g.node.map((n) => n.name)).toEqual(['mul', 'if', 'loop']);
    expect(validateModel(after)).toEqual([]);
    expect(new GraphView(g).consumersOf('x').map((n) => n.name)).toEqual(['mul', 'if']);
    for (const cond of [true, false]) {
      const want = await outputs(before, [1.5, -4], cond);
      expect(want).toEqual({ branch_out: cond ? [-1.5, 4] : [1.5, -4], looped: [5, -6] });
      expect(await outputs(after, [1.5, -4], cond)).toEqual(want);
    }
  });
});

describe('removeUnusedInitializers', () => {
  function g(): GraphProto {
    return graph({
      input: [valueInfo('x', F)],
      initializer: ['a_dead', 'used', 'in_branch', 'as_output', 'b_dead', 'for_outer'].map((n) => scalar(n, 0)),
      node: [
        node('Add', ['x', 'used'], ['y']),
        node('If', ['cond'], ['z'], [
          attr.graph('then_branch', graph({ node: [node('Neg', ['in_branch'], ['n'])], output: [valueInfo('n', F)] })),
          attr.graph('else_branch', graph({ output: [valueInfo('y', F)] })),
        ]),
      ],
      output: [valueInfo('z', F), valueInfo('as_output', F)],
    });
  }

  it('removes only initializers nothing reads, keeping the order of the rest', () => {
    const graph1 = g();
    expect(removeUnusedInitializers(graph1)).toEqual(['a_dead', 'b_dead', 'for_outer']);
    expect(graph1.initializer.map((t) => t.name)).toEqual(['used', 'in_branch', 'as_output']);
    expect(removeUnusedInitializers(graph1)).toEqual([]);
  });

  it('keeps initializers that enclosing graphs are known to read', () => {
    const graph2 = g();
    expect(removeUnusedInitializers(graph2, new Set(['for_outer']))).toEqual(['a_dead', 'b_dead']);
  });
});

describe('uniqueName and namesIn', () => {
  it('uniqueName picks the first free suffix and reserves it', () => {
    const taken = new Set(['conv', 'conv_1']);
    expect(uniqueName(taken, 'conv')).toBe('conv_2');
    expect(uniqueName(taken, 'conv')).toBe('conv_3');
    expect(uniqueName(taken, 'relu')).toBe('relu');
    expect(taken.has('conv_3') && taken.has('relu')).toBe(true);
  });

  it('namesIn collects value and node names of every graph, without the empty name', () => {
    const names = namesIn(withIdentity().graph!);
    for (const n of ['x', 'cond', 'xi', 'm', 'two', 'unused', 'id', 'if', 'neg', 'same', 'i', 'c_out', 'xi_next', 'branch_out', 'looped']) expect(names.has(n), n).toBe(true);
    expect(names.has('')).toBe(false);
  });
});
