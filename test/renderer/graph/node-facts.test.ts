import { describe, expect, it } from 'vitest';
import { keyFacts, outputShape } from '../../../renderer/src/features/graph/node-facts.js';
import { node, value } from './synthetic.js';

describe('keyFacts', () => {
  it('reads a Conv kernel from its weight and its downsampling from in and out sizes', () => {
    const conv = node('c', 'Conv', [value('x', [1, 3, 224, 224]), value('w', [32, 3, 3, 3])], [value('y', [1, 32, 112, 112])]);
    expect(keyFacts(conv)).toBe('3×3 ↓2');
    expect(outputShape(conv)).toBe('1×32×112×112');
  });

  it('marks depthwise convolutions', () => {
    const dw = node('d', 'Conv', [value('x', [1, 32, 56, 56]), value('w', [32, 1, 3, 3])], [value('y', [1, 32, 56, 56])]);
    expect(keyFacts(dw)).toBe('3×3 dw');
  });

  it('gives a matrix weight shape and says nothing it cannot know', () => {
    expect(keyFacts(node('g', 'Gemm', [value('x', [1, 2048]), value('w', [2048, 1000])], [value('y', [1, 1000])]))).toBe('2048×1000');
    expect(keyFacts(node('r', 'Relu', [value('x')], [value('y')]))).toBe('');
    expect(keyFacts(node('s', 'Conv', [value('x', ['N', 3, 'H', 'W']), value('w', ['K', 3, 3, 3])], [value('y', undefined)]))).toBe('');
  });
});
