import { describe, expect, it } from 'vitest';
import { dataflowEdges, formatShape, readingOrder } from '../../../renderer/src/features/graph/dataflow.js';
import { node, value } from './synthetic.js';

describe('formatShape', () => {
  it('writes dims with ×, names symbolic ones and marks unknowns', () => {
    expect(formatShape([1, 32, 112, 112])).toBe('1×32×112×112');
    expect(formatShape(['batch', 3, null])).toBe('batch×3×?');
    expect(formatShape([])).toBe('scalar');
    expect(formatShape(undefined)).toBe('?');
  });
});

describe('dataflowEdges', () => {
  it('links each input to the node that writes it; graph inputs and weights have no producer', () => {
    const nodes = [
      node('conv', 'Conv', [value('x'), value('w', [8, 3, 3, 3])], [value('y', [1, 8, 32, 32])]),
      node('relu', 'Relu', [value('y', [1, 8, 32, 32])], [value('z', [1, 8, 32, 32])]),
      node('add', 'Add', [value('z'), value('y')], [value('out')]),
    ];
    expect(dataflowEdges(nodes)).toEqual([
      { source: 0, target: 1, tensor: 'y', label: '1×8×32×32' },
      { source: 1, target: 2, tensor: 'z', label: '1×8×32×32' },
      { source: 0, target: 2, tensor: 'y', label: '1×8×32×32' },
    ]);
  });
});

describe('readingOrder', () => {
  it('puts a node that reads nothing just before its first reader', () => {
    const nodes = [
      node('c0', 'Constant', [], [value('k0')]),
      node('c1', 'Constant', [], [value('k1')]),
      node('conv', 'Conv', [value('x'), value('k1')], [value('y')]),
      node('add', 'Add', [value('y'), value('k0')], [value('z')]),
    ];
    expect(readingOrder(nodes, dataflowEdges(nodes))).toEqual([2.5, 1.5, 2, 3]);
  });
});
