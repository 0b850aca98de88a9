import { describe, expect, it } from 'vitest';
import { dataflowEdges } from '../../../renderer/src/features/graph/dataflow.js';
import { initialExpansion, toggleBlock } from '../../../renderer/src/features/graph/expansion.js';
import { buildBlockTree } from '../../../renderer/src/features/graph/grouping.js';
import { computeTotals } from '../../../renderer/src/features/graph/metrics.js';
import { bodyEdges, withBodyBlocks, type BodyNode } from '../../../renderer/src/features/graph/subgraph-blocks.js';
import { buildVisibleGraph } from '../../../renderer/src/features/graph/visible-graph.js';
import { node, value } from './synthetic.js';

// A Silero-like model: an If whose then branch (taken) holds a nested If, and an else branch not taken.
const main = [
  node('/pre/Equal', 'Equal', [value('sr')], [value('cond', [])]),
  node('If_0', 'If', [value('cond')], [value('out')], { macs: 300, flops: 600, predictedMs: 3 }),
  node('/post/Relu', 'Relu', [value('out')], [value('y')], { macs: 0, flops: 10, predictedMs: 1 }),
];
const inBody = (graphPath: string, taken: boolean | null, runs: number | null, n: ReturnType<typeof node>): BodyNode => ({ ...n, graphPath, taken, runs });
const bodies: BodyNode[] = [
  inBody('If_0/then_branch', true, 1, node('Conv', 'Conv', [value('x')], [value('a')], { macs: 100, flops: 200, predictedMs: 1 })),
  inBody('If_0/then_branch', true, 1, node('inner/If', 'If', [value('a')], [value('b')], { macs: 200, flops: 400, predictedMs: 2 })),
  inBody('If_0/then_branch/inner/If/then_branch', true, 1, node('MatMul', 'MatMul', [value('a')], [value('b1')], { macs: 200, flops: 400, predictedMs: 2 })),
  inBody('If_0/else_branch', false, 0, node('Conv', 'Conv', [value('x')], [value('c')], { macs: 50, flops: 100, predictedMs: 0.5 })),
];
const tree = withBodyBlocks(buildBlockTree(main), main, bodies);
const nodes = [...main, ...bodies];
const edges = [...dataflowEdges(main), ...bodyEdges(main, bodies)];

describe('If/Loop/Scan body blocks', () => {
  it('puts a block per body right after its owner, nested bodies after theirs, labelled with the branch taken', () => {
    const root = tree.blocks.get('')!;
    expect(root.items).toEqual([
      { kind: 'node', index: 0 },
      { kind: 'node', index: 1 },
      { kind: 'block', id: '@If_0/then_branch' },
      { kind: 'block', id: '@If_0/else_branch' },
      { kind: 'node', index: 2 },
    ]);
    expect(tree.blocks.get('@If_0/then_branch')).toMatchObject({ kind: 'body', label: 'If_0 · then_branch (taken)', items: [{ kind: 'node', index: 3 }, { kind: 'node', index: 4 }, { kind: 'block', id: '@If_0/then_branch/inner/If/then_branch' }] });
    expect(tree.blocks.get('@If_0/else_branch')!.label).toBe('If_0 · else_branch (not taken)');
    expect(tree.blocks.get('@If_0/then_branch/inner/If/then_branch')).toMatchObject({ parent: '@If_0/then_branch', label: 'inner/If · then_branch (taken)' });
    expect(tree.blockOfNode).toEqual(['', '', '', '@If_0/then_branch', '@If_0/then_branch', '@If_0/then_branch/inner/If/then_branch', '@If_0/else_branch']);
  });

  it('gives bodies their own totals without counting them again around them', () => {
    const totals = computeTotals(tree, nodes, null);
    // The model: Equal, If (which holds its taken branch) and Relu only.
    expect(totals.blocks.get('')!.macs).toBe(300);
    expect(totals.blocks.get('')!.nodeCount).toBe(3);
    // The taken branch sums to its owner; its nested If is not added on top of the inner If node.
    expect(totals.blocks.get('@If_0/then_branch')!.macs).toBe(300);
    expect(totals.blocks.get('@If_0/else_branch')!.macs).toBe(50);
  });

  it('opens with bodies collapsed, joined to their owner, with edges inside by tensor name', () => {
    const expanded = initialExpansion(tree);
    expect(expanded.size).toBe(0);
    const closed = buildVisibleGraph(tree, edges, expanded);
    expect(closed.items.map((i) => i.id)).toEqual(['n:0', 'n:1', 'b:@If_0/then_branch', 'b:@If_0/else_branch', 'n:2']);
    expect(closed.edges.map((e) => e.id)).toContain('n:1->b:@If_0/then_branch');
    const open = buildVisibleGraph(tree, edges, toggleBlock(tree, expanded, '@If_0/then_branch'));
    expect(open.items.filter((i) => i.parent === 'b:@If_0/then_branch').map((i) => i.id)).toEqual(['n:3', 'n:4', 'b:@If_0/then_branch/inner/If/then_branch']);
    expect(open.edges.map((e) => e.id)).toEqual(expect.arrayContaining(['n:1->n:3', 'n:3->n:4', 'n:3->b:@If_0/then_branch/inner/If/then_branch']));
  });

  it('labels a Loop body per iteration with its trip count, and leaves a model without bodies as it was', () => {
    const loopMain = [node('loop', 'Loop', [value('x')], [value('y')])];
    const loopTree = withBodyBlocks(buildBlockTree([{ name: 'loop', opType: 'Loop' }]), loopMain, [inBody('loop/body', null, 8, node('Add', 'Add', [value('x')], [value('z')]))]);
    expect(loopTree.blocks.get('@loop/body')!.label).toBe('loop · body (per iteration, × 8)');
    const plain = buildBlockTree(main);
    expect(withBodyBlocks(plain, main, [])).toBe(plain);
  });
});
