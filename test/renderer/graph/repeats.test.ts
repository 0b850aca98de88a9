import { describe, expect, it } from 'vitest';
import { dataflowEdges } from '../../../renderer/src/features/graph/dataflow.js';
import { buildBlockTree, ROOT_BLOCK, type BlockTree } from '../../../renderer/src/features/graph/grouping.js';
import { describeSignature, findRepeats, segmentBoundaries, segmentsOf } from '../../../renderer/src/features/graph/repeats.js';
import { node, transformerLike, value } from './synthetic.js';

describe('segmentBoundaries', () => {
  it('cuts where the fewest tensors are alive: after a residual Add, not inside its block', () => {
    // 0 stem → 1 conv → 2 relu → 3 add(2, 0) → 4 conv → 5 relu → 6 add(5, 3): the skip tensors 0 and 3 stay alive across each block.
    const flows = [
      { from: 0, to: 1, tensor: 'a' },
      { from: 0, to: 3, tensor: 'a' },
      { from: 1, to: 2, tensor: 'b' },
      { from: 2, to: 3, tensor: 'c' },
      { from: 3, to: 4, tensor: 'd' },
      { from: 3, to: 6, tensor: 'd' },
      { from: 4, to: 5, tensor: 'e' },
      { from: 5, to: 6, tensor: 'f' },
    ];
    expect(segmentBoundaries(7, flows)).toEqual([0, 3]);
    expect(segmentsOf(7, [0, 3])).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 4 },
      { start: 4, end: 7 },
    ]);
  });

  it('ignores tensors read from outside the run and reads backwards', () => {
    expect(segmentBoundaries(3, [{ from: 2, to: 1, tensor: 'x' }])).toEqual([0, 1]);
    expect(segmentBoundaries(1, [])).toEqual([]);
  });
});

describe('findRepeats', () => {
  it('finds the period covering most segments, preferring the shorter on a tie', () => {
    expect(findRepeats(['stem', 'A', 'B', 'A', 'B', 'A', 'B', 'head'])).toEqual([{ start: 1, period: 2, count: 3 }]);
    expect(findRepeats(['A', 'A', 'A', 'A'])).toEqual([{ start: 0, period: 1, count: 4 }]);
    expect(findRepeats(['A', 'B', 'C'])).toEqual([]);
  });

  it('finds several repeated stretches one after the other', () => {
    expect(findRepeats(['A', 'A', 'A', 'B', 'C', 'B', 'C'])).toEqual([
      { start: 0, period: 1, count: 3 },
      { start: 3, period: 2, count: 2 },
    ]);
  });

  it('names a structure by its first op types', () => {
    expect(describeSignature(['Conv', 'BatchNormalization', 'Relu'])).toBe('Conv → BatchNormalization → Relu');
    expect(describeSignature(['a', 'b', 'c', 'd', 'e'])).toBe('a → b → c → d → …');
  });
});

function nodesUnder(tree: BlockTree, id: string): number[] {
  return tree.blocks.get(id)!.items.flatMap((item) => (item.kind === 'node' ? [item.index] : nodesUnder(tree, item.id)));
}

/** A flat-named ResNet-like chain: a stem, `blocks` residual blocks (Conv, Relu, Conv, Add), a head. */
function residualChain(blocks: number) {
  const nodes = [node('p2o.Conv.0', 'Conv', [value('x')], [value('s')])];
  let input = 's';
  for (let b = 0; b < blocks; b++) {
    const [c1, r, c2, sum] = [`c1_${b}`, `r_${b}`, `c2_${b}`, `sum_${b}`];
    nodes.push(node(`p2o.Conv.${2 * b + 1}`, 'Conv', [value(input)], [value(c1)]));
    nodes.push(node(`p2o.Relu.${b}`, 'Relu', [value(c1)], [value(r)]));
    nodes.push(node(`p2o.Conv.${2 * b + 2}`, 'Conv', [value(r)], [value(c2)]));
    nodes.push(node(`p2o.Add.${b}`, 'Add', [value(c2), value(input)], [value(sum)]));
    input = sum;
  }
  nodes.push(node('p2o.Gemm.0', 'Gemm', [value(input)], [value('y')]));
  return nodes;
}

describe('buildBlockTree with edges', () => {
  it('groups the repeated residual blocks of a flat-named model into one block per repetition', () => {
    const nodes = residualChain(40);
    const tree = buildBlockTree(nodes, { maxItems: 50, edges: dataflowEdges(nodes) });
    const root = tree.blocks.get(ROOT_BLOCK)!;
    expect(root.items).toEqual([{ kind: 'node', index: 0 }, { kind: 'block', id: '#rep0' }, { kind: 'node', index: 161 }]);
    const repeat = tree.blocks.get('#rep0')!;
    expect(repeat).toMatchObject({ kind: 'repeat', label: '40 × Conv → Relu → Conv → Add from p2o.Conv.1', nodeCount: 160 });
    expect(repeat.items).toHaveLength(40);
    expect(nodesUnder(tree, '#rep0.3')).toEqual([13, 14, 15, 16]);
    expect(tree.blocks.get('#rep0.3')).toMatchObject({ kind: 'run', label: 'p2o.Conv.7 …' });
  });

  it('leaves levels within the limit as they are', () => {
    const nodes = residualChain(3);
    const tree = buildBlockTree(nodes, { maxItems: 50, edges: dataflowEdges(nodes) });
    expect(tree.blocks.get(ROOT_BLOCK)!.items.every((i) => i.kind === 'node')).toBe(true);
  });

  it('finds the layers of a flat-named 10,000-node transformer and still cuts them into runs of at most the limit', () => {
    const nodes = transformerLike(10_200, 'flat');
    const tree = buildBlockTree(nodes, { edges: dataflowEdges(nodes) });
    const repeats = [...tree.blocks.values()].filter((b) => b.kind === 'repeat');
    expect(repeats).toHaveLength(1);
    // 17 ops a layer. Layer 0 reads the graph input, from outside the run, so its attention half
    // differs from the others' and the repetition starts at its second half (the LayerNorm ops):
    // 599 repetitions of 17 ops, from layer 0's ReduceMean to layer 599's residual Add.
    expect(repeats[0]).toMatchObject({ label: '599 × ReduceMean → Sub → Mul → Sqrt → … from p2o.ReduceMean.8', nodeCount: 599 * 17 });
    for (const block of tree.blocks.values()) expect(block.items.length).toBeLessThanOrEqual(120);
    expect(nodesUnder(tree, ROOT_BLOCK).sort((a, b) => a - b)).toEqual(nodes.map((_, i) => i));
  });
});
