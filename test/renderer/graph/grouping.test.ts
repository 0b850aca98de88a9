import { describe, expect, it } from 'vitest';
import { ancestorsOfNode, buildBlockTree, ROOT_BLOCK, scopesOf, type BlockTree } from '../../../renderer/src/features/graph/grouping.js';

/** A node whose op type is the second-to-last dot- or slash-separated part of its name (irrelevant unless edges are given). */
const flatNode = (name: string) => ({ name, opType: name.split(/[/.]/).at(-2) ?? name });

function nodesUnder(tree: BlockTree, id: string): number[] {
  return tree.blocks.get(id)!.items.flatMap((item) => (item.kind === 'node' ? [item.index] : nodesUnder(tree, item.id)));
}

describe('scopesOf', () => {
  it('reads PyTorch scopes and leaves flat names without any', () => {
    expect(scopesOf('/layer1/layer1.0/conv1/Conv')).toEqual(['layer1', 'layer1.0', 'conv1']);
    expect(scopesOf('p2o.Conv.12')).toEqual([]);
    expect(scopesOf('/Add')).toEqual([]);
  });
});

describe('buildBlockTree', () => {
  const names = [
    '/conv1/Conv',
    '/relu/Relu',
    '/layer1/layer1.0/conv1/Conv',
    '/layer1/layer1.0/relu/Relu',
    '/layer1/layer1.0/conv2/Conv',
    '/layer1/layer1.1/conv1/Conv',
    '/layer1/layer1.1/relu/Relu',
    '/layer1/layer1.1/conv2/Conv',
    '/fc/Gemm',
  ];
  const tree = buildBlockTree(names.map(flatNode));

  it('groups by name scope, in execution order, with single-node scopes shown as the node itself', () => {
    expect(tree.blocks.get(ROOT_BLOCK)!.items).toEqual([
      { kind: 'node', index: 0 },
      { kind: 'node', index: 1 },
      { kind: 'block', id: '/layer1' },
      { kind: 'node', index: 8 },
    ]);
    expect(tree.blocks.get('/layer1')!.items).toEqual([
      { kind: 'block', id: '/layer1/layer1.0' },
      { kind: 'block', id: '/layer1/layer1.1' },
    ]);
    expect(tree.blocks.get('/layer1/layer1.0')!.items.map((i) => i.kind === 'node' && i.index)).toEqual([2, 3, 4]);
  });

  it('counts the nodes of each block and knows where each node sits', () => {
    expect(tree.blocks.get('/layer1')).toMatchObject({ nodeCount: 6, firstNode: 2, label: 'layer1', parent: ROOT_BLOCK });
    expect(tree.blocks.get(ROOT_BLOCK)!.nodeCount).toBe(9);
    expect(ancestorsOfNode(tree, 6)).toEqual(['/layer1', '/layer1/layer1.1']);
    expect(ancestorsOfNode(tree, 0)).toEqual([]);
  });

  it('merges a chain of single sub-scopes into one block', () => {
    const chain = buildBlockTree(['/encoder/layer.0/attention/MatMul', '/encoder/layer.0/attention/Softmax', '/encoder/layer.0/attention/MatMul_1', '/head/Gemm'].map(flatNode));
    expect(chain.blocks.get(ROOT_BLOCK)!.items).toEqual([{ kind: 'block', id: '/encoder/layer.0/attention' }, { kind: 'node', index: 3 }]);
    expect(chain.blocks.get('/encoder/layer.0/attention')!.label).toBe('encoder/layer.0/attention');
  });

  it('cuts flat names into runs in execution order so that no level holds more than the limit', () => {
    const flat = Array.from({ length: 2_500 }, (_, i) => `p2o.Conv.${i}`);
    const runs = buildBlockTree(flat.map(flatNode), { maxItems: 100 });
    for (const block of runs.blocks.values()) expect(block.items.length).toBeLessThanOrEqual(100);
    expect(nodesUnder(runs, ROOT_BLOCK)).toEqual(flat.map((_, i) => i));
    const first = runs.blocks.get(ROOT_BLOCK)!.items[0]!;
    expect(first.kind).toBe('block');
    expect(runs.blocks.get((first as { id: string }).id)).toMatchObject({ kind: 'run', label: 'p2o.Conv.0 …' });
  });

  it('cuts a scope with too many direct children too', () => {
    const wide = Array.from({ length: 300 }, (_, i) => `/body/Add_${i}`);
    const tree300 = buildBlockTree(wide.map(flatNode), { maxItems: 120 });
    const body = tree300.blocks.get('/body')!;
    expect(body.items.length).toBeLessThanOrEqual(120);
    expect(body.nodeCount).toBe(300);
  });

  it('orders items by the given reading order, so Constants join the run of their reader', () => {
    const flat = ['Constant #0', 'Constant #1', 'p2o.Conv.0', 'p2o.Relu.0', 'p2o.Conv.1'];
    const ordered = buildBlockTree(flat.map(flatNode), { maxItems: 3, order: [1.5, 3.5, 2, 3, 4] });
    const runs = ordered.blocks.get(ROOT_BLOCK)!.items.map((item) => nodesUnder(ordered, (item as { id: string }).id));
    expect(runs).toEqual([[0, 2, 3], [1, 4]]);
  });

  it('puts every node in the tree exactly once', () => {
    expect(nodesUnder(tree, ROOT_BLOCK).sort((a, b) => a - b)).toEqual(names.map((_, i) => i));
  });
});
