import { describe, expect, it } from 'vitest';
import { GraphView, forEachGraph, implicitInputs, subgraphsOf } from '../../../engine/core/graph/index.js';
import { DataType, type GraphProto, type NodeProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, node, tensor, valueInfo } from '../../support/build.js';

const F = DataType.FLOAT;
const labels = (nodes: readonly NodeProto[]): string[] => nodes.map((n) => n.name);
const named = (name: string, opType: string, input: string[], output: string[], attrs = [] as ReturnType<typeof attr.graph>[]): NodeProto =>
  node(opType, input, output, attrs, { name });

/** x → a → (b, c) → d: a diamond, listed in file order. */
function diamond(): GraphProto {
  return graph({
    input: [valueInfo('x', F, [1])],
    initializer: [tensor({ name: 'w', dataType: F, dims: [1], rawData: new Uint8Array(4) })],
    node: [
      named('a', 'Relu', ['x'], ['ya']),
      named('b', 'Mul', ['ya', 'w'], ['yb']),
      named('c', 'Neg', ['ya'], ['yc']),
      named('d', 'Add', ['yb', 'yc'], ['yd']),
    ],
    output: [valueInfo('yd', F, [1])],
  });
}

describe('GraphView: producers and consumers', () => {
  it('maps each value to the node that produces it and the nodes that read it', () => {
    const g = diamond();
    const view = new GraphView(g);
    expect(view.producer.get('ya')?.name).toBe('a');
    expect(view.producer.get('yd')?.name).toBe('d');
    expect(view.producer.has('x')).toBe(false);
    expect(labels(view.consumersOf('ya'))).toEqual(['b', 'c']);
    expect(labels(view.consumersOf('w'))).toEqual(['b']);
    expect(labels(view.consumersOf('yd'))).toEqual([]);
    expect(view.isSource('x') && view.isSource('w')).toBe(true);
    expect(view.isSource('ya')).toBe(false);
    expect([...view.initializers.keys()]).toEqual(['w']);
  });

  it('ignores empty names (omitted optional inputs and outputs)', () => {
    const g = graph({ input: [valueInfo('x', F)], node: [named('clip', 'Clip', ['x', '', 'max'], ['y', ''])] });
    const view = new GraphView(g);
    expect(view.consumers.has('')).toBe(false);
    expect(view.producer.has('')).toBe(false);
  });

  it('counts a node whose subgraph reads a value as one of its consumers', () => {
    const g = graph({
      input: [valueInfo('cond', DataType.BOOL, []), valueInfo('x', F)],
      node: [
        named('double', 'Add', ['x', 'x'], ['x2']),
        named('branch', 'If', ['cond'], ['y'], [
          attr.graph('then_branch', graph({ node: [named('t', 'Neg', ['x2'], ['t_out'])], output: [valueInfo('t_out', F)] })),
          attr.graph('else_branch', graph({ output: [valueInfo('x', F)] })),
        ]),
      ],
      output: [valueInfo('y', F)],
    });
    const view = new GraphView(g);
    // x2 is read only inside the then-branch: without the If as its consumer, Add would look dead.
    expect(labels(view.consumersOf('x2'))).toEqual(['branch']);
    expect(labels(view.consumersOf('x'))).toEqual(['double', 'double', 'branch']);
    expect(labels(view.consumersOf('cond'))).toEqual(['branch']);
  });
});

describe('GraphView: topological order', () => {
  it('keeps file order when it is already topological', () => {
    const { order, cyclic } = new GraphView(diamond()).topologicalOrder();
    expect(labels(order)).toEqual(['a', 'b', 'c', 'd']);
    expect(cyclic).toEqual([]);
  });

  it('sorts a file whose nodes are out of order, breaking ties by file position', () => {
    const g = diamond();
    g.node.reverse(); // d, c, b, a
    const { order, cyclic } = new GraphView(g).topologicalOrder();
    expect(labels(order)).toEqual(['a', 'c', 'b', 'd']);
    expect(cyclic).toEqual([]);
  });

  it('is stable: independent nodes keep their file order', () => {
    const g = graph({
      input: [valueInfo('x', F)],
      node: ['n3', 'n1', 'n4', 'n2'].map((n) => named(n, 'Relu', ['x'], [`${n}_out`])),
    });
    expect(labels(new GraphView(g).topologicalOrder().order)).toEqual(['n3', 'n1', 'n4', 'n2']);
  });

  it('orders a node after the producers of values its subgraphs read', () => {
    // The If is listed first, but its branch reads `late`, which the Relu after it produces.
    const g = graph({
      input: [valueInfo('cond', DataType.BOOL, []), valueInfo('x', F)],
      node: [
        named('branch', 'If', ['cond'], ['y'], [
          attr.graph('then_branch', graph({ node: [named('inner', 'Neg', ['late'], ['t'])], output: [valueInfo('t', F)] })),
          attr.graph('else_branch', graph({ output: [valueInfo('late', F)] })),
        ]),
        named('producer', 'Relu', ['x'], ['late']),
      ],
      output: [valueInfo('y', F)],
    });
    const { order, cyclic } = new GraphView(g).topologicalOrder();
    expect(labels(order)).toEqual(['producer', 'branch']);
    expect(cyclic).toEqual([]);
  });

  it('reports the nodes it cannot place when the graph has a cycle', () => {
    const g = graph({
      input: [valueInfo('x', F)],
      node: [named('head', 'Relu', ['x'], ['h']), named('p', 'Add', ['h', 'q_out'], ['p_out']), named('q', 'Neg', ['p_out'], ['q_out']), named('tail', 'Relu', ['q_out'], ['t'])],
    });
    const { order, cyclic } = new GraphView(g).topologicalOrder();
    expect(labels(order)).toEqual(['head']);
    expect(labels(cyclic)).toEqual(['p', 'q', 'tail']);
  });

  it('a node reading its own output does not wait for itself', () => {
    const g = graph({ input: [valueInfo('x', F)], node: [named('self', 'Add', ['x', 's'], ['s'])] });
    expect(labels(new GraphView(g).topologicalOrder().order)).toEqual(['self']);
  });
});

describe('subgraphs and outer-scope names', () => {
  const loopBody = graph({
    name: 'body',
    input: [valueInfo('i', DataType.INT64, []), valueInfo('c', DataType.BOOL, []), valueInfo('v', F)],
    node: [
      named('inner_add', 'Add', ['v', 'outer_w'], ['v2']),
      named('inner_if', 'If', ['c'], ['v3'], [
        attr.graph('then_branch', graph({ name: 'then', node: [named('deep', 'Mul', ['v2', 'outer_k'], ['m'])], output: [valueInfo('m', F)] })),
        attr.graph('else_branch', graph({ name: 'else', output: [valueInfo('v', F)] })),
      ]),
    ],
    output: [valueInfo('c', DataType.BOOL, []), valueInfo('v3', F)],
  });
  const main = graph({
    input: [valueInfo('v0', F)],
    initializer: [tensor({ name: 'outer_w', dataType: F, dims: [], rawData: new Uint8Array(4) }), tensor({ name: 'outer_k', dataType: F, dims: [], rawData: new Uint8Array(4) })],
    node: [named('loop', 'Loop', ['', '', 'v0'], ['vf'], [attr.graph('body', loopBody)])],
    output: [valueInfo('vf', F)],
  });

  it('implicitInputs lists the outer names a node’s subgraphs read, however deep, and not the names they bind', () => {
    expect([...implicitInputs(main.node[0]!)].sort()).toEqual(['outer_k', 'outer_w']);
    // Seen from inside the body, `v` and `v2` are the body's own values; only outer_k comes from outside the If.
    expect([...implicitInputs(loopBody.node[1]!)].sort()).toEqual(['outer_k', 'v', 'v2']);
  });

  it('a subgraph input that shadows an outer name is not an implicit input', () => {
    const shadow = named('loop2', 'Loop', ['', '', 'v0'], ['out'], [
      attr.graph('body', graph({ input: [valueInfo('i', DataType.INT64, []), valueInfo('c', DataType.BOOL, []), valueInfo('outer_w', F)], node: [named('use', 'Neg', ['outer_w'], ['n'])], output: [valueInfo('c', DataType.BOOL, []), valueInfo('n', F)] })),
    ]);
    expect([...implicitInputs(shadow)]).toEqual([]);
  });

  it('a subgraph view sees the enclosing graph’s names through namesInScope', () => {
    const outer = new GraphView(main);
    const body = new GraphView(loopBody, outer.namesInScope());
    expect(body.isSource('outer_w')).toBe(true);
    expect(body.isSource('v0')).toBe(true);
    expect(body.isSource('nowhere')).toBe(false);
    const then = new GraphView(subgraphsOf(loopBody.node[1]!)[0]!.graph, body.namesInScope());
    expect(then.isSource('v2') && then.isSource('outer_k')).toBe(true);
  });

  it('subgraphsOf and forEachGraph reach every nested graph with a readable path', () => {
    expect(subgraphsOf(loopBody.node[1]!).map((s) => s.attribute)).toEqual(['then_branch', 'else_branch']);
    const seen: string[] = [];
    forEachGraph(main, (g, path) => seen.push(`${path} (${g.name})`));
    expect(seen).toEqual(['graph (g)', 'graph/loop.body (body)', 'graph/loop.body/inner_if.then_branch (then)', 'graph/loop.body/inner_if.else_branch (else)']);
  });
});
