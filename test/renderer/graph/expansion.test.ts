import { describe, expect, it } from 'vitest';
import { collapseBlock, expandBlocks, initialExpansion, MAX_MOUNTED, revealNode, toggleBlock } from '../../../renderer/src/features/graph/expansion.js';
import { ancestorsOfNode, buildBlockTree } from '../../../renderer/src/features/graph/grouping.js';
import { visibleItemCount } from '../../../renderer/src/features/graph/visible-graph.js';
import { transformerLike } from './synthetic.js';

const big = buildBlockTree(transformerLike(10_200));

describe('initialExpansion', () => {
  it('opens everything of a small model', () => {
    const small = buildBlockTree(transformerLike(60));
    const open = initialExpansion(small);
    expect(open.size).toBe(small.blocks.size - 1);
  });

  it('opens a large model to an overview of a few hundred items at most', () => {
    const open = initialExpansion(big);
    const count = visibleItemCount(big, open);
    expect(count).toBeGreaterThanOrEqual(40);
    expect(count).toBeLessThanOrEqual(250);
  });
});

describe('expandBlocks', () => {
  it('closes the oldest open blocks so that no more than about a thousand items are mounted', () => {
    const flat = buildBlockTree(transformerLike(10_200, 'flat'));
    const runs = flat.blocks.get('')!.items.map((item) => (item.kind === 'block' ? item.id : ''));
    let open = initialExpansion(flat);
    for (const id of runs.slice(0, 40)) {
      open = toggleBlock(flat, open, id);
      expect(visibleItemCount(flat, open)).toBeLessThanOrEqual(MAX_MOUNTED);
      expect(open.has(id)).toBe(true);
    }
    expect(open.has(runs[0]!)).toBe(false);
  });

  it('never closes the block being opened nor its parents, even when asked for too much at once', () => {
    const all = [...big.blocks.keys()].filter((id) => id !== '');
    const open = expandBlocks(big, new Set(), all);
    expect(visibleItemCount(big, open)).toBeLessThanOrEqual(MAX_MOUNTED);
    expect(open.has(all.at(-1)!)).toBe(true);
  });
});

describe('revealNode and collapseBlock', () => {
  it('opens every block around a node, and closing a block closes what is open inside it', () => {
    const index = 5_000;
    const chain = ancestorsOfNode(big, index);
    const open = revealNode(big, new Set(), index);
    for (const id of chain) expect(open.has(id)).toBe(true);
    expect(revealNode(big, open, index)).toBe(open);
    const closed = collapseBlock(big, open, chain[0]!);
    for (const id of chain) expect(closed.has(id)).toBe(false);
  });
});
