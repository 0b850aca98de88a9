import { describe, expect, it } from 'vitest';
import { changeMarks } from '../../../renderer/src/features/graph/change-marks.js';
import { buildBlockTree } from '../../../renderer/src/features/graph/grouping.js';

describe('changeMarks', () => {
  const nodes = ['/layer1/0/conv/Conv', '/layer1/0/bn/BatchNormalization', '/layer1/1/conv/Conv', '/head/Gemm'].map((name) => ({ name, opType: name.split('/').at(-1)! }));
  const tree = buildBlockTree(nodes);
  const indexByName = new Map(nodes.map((n, i) => [n.name, i]));

  it('marks each named node once and counts them on every block around them', () => {
    const marks = changeMarks(tree, indexByName, ['/layer1/0/bn/BatchNormalization', '/layer1/0/conv/Conv', '/layer1/0/conv/Conv', '/layer1/1/conv/Conv']);
    expect([...marks.changingItems].sort()).toEqual(['n:0', 'n:1', 'n:2']);
    expect(marks.changingBlocks.get('/layer1')).toBe(3);
    expect(marks.changingBlocks.get('/layer1/0')).toBe(2);
    expect(marks.changingBlocks.has('/head')).toBe(false);
  });

  it('leaves out names the graph does not draw', () => {
    const marks = changeMarks(tree, indexByName, ['Constant #3', 'p2o.Add.1']);
    expect(marks.changingItems.size).toBe(0);
    expect(marks.changingBlocks.size).toBe(0);
  });
});
