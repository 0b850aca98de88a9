import { describe, expect, it } from 'vitest';
import { searchNodes } from '../../../renderer/src/features/graph/search.js';

const nodes = [
  { name: '/stem/Conv', opType: 'Conv' },
  { name: '/layer1/ConvTranspose', opType: 'ConvTranspose' },
  { name: '/layer1/conv_relu', opType: 'Relu' },
  { name: 'p2o.Conv.3', opType: 'Conv' },
];

describe('searchNodes', () => {
  it('matches name or op type, case-insensitively, exact op types first', () => {
    expect(searchNodes(nodes, 'conv')).toEqual({ matches: [0, 3, 1, 2], total: 4 });
    expect(searchNodes(nodes, 'RELU').matches).toEqual([2]);
    expect(searchNodes(nodes, 'p2o').matches).toEqual([3]);
  });

  it('limits the list but counts every match; an empty query finds nothing', () => {
    expect(searchNodes(nodes, 'conv', 2)).toEqual({ matches: [0, 3], total: 4 });
    expect(searchNodes(nodes, '  ')).toEqual({ matches: [], total: 0 });
  });
});
