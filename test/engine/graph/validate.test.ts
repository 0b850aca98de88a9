import { describe, expect, it } from 'vitest';
import { NEWEST_IR_VERSION, validateModel } from '../../../engine/core/graph/index.js';
import { DataType, decodeModel, encodeModel, type GraphProto, type ModelProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, model, node, opset, tensor, valueInfo } from '../../support/build.js';
import { ort, SESSION_OPTIONS } from '../../support/ort.js';

const F = DataType.FLOAT;

function clean(): GraphProto {
  return graph({
    input: [valueInfo('x', F, [1])],
    initializer: [tensor({ name: 'w', dataType: F, dims: [1], rawData: new Uint8Array(4) })],
    node: [node('Mul', ['x', 'w'], ['m'], [], { name: 'scale' }), node('Relu', ['m'], ['y'], [], { name: 'act' })],
    output: [valueInfo('y', F, [1])],
  });
}

/** The findings of a model as (severity, code, message, where) tuples, for exact comparison. */
function findingsOf(m: ModelProto): [string, string, string, string][] {
  return validateModel(m).map((f) => [f.severity, f.code, f.message, f.graphPath]);
}

/** onnxruntime's verdict on loading the same model: independent evidence that a finding is real. */
async function ortRejects(m: ModelProto): Promise<string | undefined> {
  try {
    const session = await ort.InferenceSession.create(encodeModel(m), SESSION_OPTIONS);
    await session.release();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('validateModel', () => {
  it('finds nothing wrong in a well-formed model, which onnxruntime loads', async () => {
    expect(validateModel(model(clean()))).toEqual([]);
    expect(await ortRejects(model(clean()))).toBeUndefined();
  });

  it('a cycle', async () => {
    const g = clean();
    g.node = [
      node('Add', ['x', 'b_out'], ['a_out'], [], { name: 'A' }),
      node('Relu', ['a_out'], ['b_out'], [], { name: 'B' }),
      node('Identity', ['b_out'], ['y'], [], { name: 'C' }),
    ];
    const m = model(g);
    expect(findingsOf(m)).toEqual([['error', 'cycle', '3 node(s) form or depend on a cycle: A, B, C', 'graph']]);
    expect(await ortRejects(m)).toBeDefined();
  });

  it('a dangling input', async () => {
    const g = clean();
    g.node[1]!.input = ['m', 'nowhere'];
    g.node[1]!.opType = 'Add';
    const m = model(g);
    expect(findingsOf(m)).toEqual([['error', 'dangling-input', 'act reads "nowhere", which nothing produces', 'graph']]);
    expect(await ortRejects(m)).toBeDefined();
  });

  it('a duplicate output, from two nodes and from a node overwriting an input', async () => {
    const g = clean();
    g.node.push(node('Neg', ['x'], ['m'], [], { name: 'again' }), node('Neg', ['w'], ['x'], [], { name: 'clobber' }));
    const m = model(g);
    expect(findingsOf(m)).toEqual([
      ['error', 'duplicate-output', 'again writes "m", which scale already defines', 'graph'],
      ['error', 'duplicate-output', 'clobber writes "x", which a graph input or initializer already defines', 'graph'],
    ]);
    expect(await ortRejects(m)).toBeDefined();
  });

  it('a missing opset import, for the default domain and for a custom one', async () => {
    const noDefault = model(clean(), { opsetImport: [] });
    expect(findingsOf(noDefault)).toEqual([
      ['error', 'missing-opset', 'scale uses op Mul from domain "", which the model does not import', 'graph'],
      ['error', 'missing-opset', 'act uses op Relu from domain "", which the model does not import', 'graph'],
    ]);
    expect(await ortRejects(noDefault)).toBeDefined();
    const g = clean();
    g.node[1] = node('Gelu', ['m'], ['y'], [], { name: 'act', domain: 'com.microsoft' });
    const noCustom = model(g);
    expect(findingsOf(noCustom)).toEqual([['error', 'missing-opset', 'act uses op Gelu from domain "com.microsoft", which the model does not import', 'graph']]);
    // onnxruntime itself is lenient here (it resolves its own com.microsoft ops anyway); the ONNX
    // checker is not: "No opset import for domain". The model is not portable, hence the finding.
    expect(validateModel(model(g, { opsetImport: [opset(21), opset(1, 'com.microsoft')] }))).toEqual([]);
    // "ai.onnx" names the default domain too.
    expect(validateModel(model(clean(), { opsetImport: [opset(21, 'ai.onnx')] }))).toEqual([]);
  });

  it('a graph output nothing produces', () => {
    const g = clean();
    g.output.push(valueInfo('ghost', F));
    expect(findingsOf(model(g))).toEqual([['error', 'missing-graph-output', 'graph output "ghost" is not produced by any node', 'graph']]);
  });

  it('names nodes without names by op type and position', () => {
    const g = clean();
    g.node[1] = node('Add', ['m', 'nowhere'], ['y']);
    expect(validateModel(model(g))[0]!.message).toBe('Add #1 reads "nowhere", which nothing produces');
  });

  it('checks subgraphs, with the enclosing graph’s names in scope and a path to the subgraph', () => {
    const g = clean();
    g.input.push(valueInfo('cond', DataType.BOOL, []));
    g.node[1] = node('If', ['cond'], ['y'], [
      attr.graph('then_branch', graph({ node: [node('Relu', ['m'], ['t'], [], { name: 'uses_outer' })], output: [valueInfo('t', F)] })),
      attr.graph('else_branch', graph({ node: [node('Relu', ['missing'], ['e'], [], { name: 'dangles' })], output: [valueInfo('e', F)] })),
    ], { name: 'branch' });
    expect(findingsOf(model(g))).toEqual([['error', 'dangling-input', 'dangles reads "missing", which nothing produces', 'graph/branch.else_branch']]);
  });

  it('warns about opsets imported twice and IR versions it does not know', () => {
    const m = model(clean(), { irVersion: NEWEST_IR_VERSION + 1, opsetImport: [opset(21), opset(20, 'ai.onnx')] });
    expect(findingsOf(m)).toEqual([
      ['warning', 'duplicate-opset', 'opset for domain "ai.onnx" is imported more than once', 'model'],
      ['warning', 'unknown-ir-version', `IR version ${NEWEST_IR_VERSION + 1} is outside the versions this build knows (1–${NEWEST_IR_VERSION})`, 'model'],
    ]);
  });

  it('gives the same findings after an encode/decode round trip', () => {
    const g = clean();
    g.node.reverse();
    g.node.push(node('Neg', ['x'], ['m'], [], { name: 'again' }));
    const m = model(g);
    expect(validateModel(decodeModel(encodeModel(m)))).toEqual(validateModel(m));
  });
});
