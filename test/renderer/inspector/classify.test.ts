import { describe, expect, it } from 'vitest';
import { classifyInputs, isWeight, valueSources } from '../../../renderer/src/features/inspector/classify.js';
import { analysisOf, node } from '../layers/fixtures.js';

const value = (name: string) => ({ name, dtype: 'float32', shape: [1] });

describe('classifyInputs', () => {
  const constant = node(0, { name: 'make_shape', opType: 'Constant', outputs: [value('shape')] });
  const conv = node(1, { name: 'conv', inputs: [value('image'), value('conv.weight'), value('conv.bias')], outputs: [value('features')] });
  const reshape = node(2, { name: 'reshape', opType: 'Reshape', inputs: [value('features'), value('shape'), value('')], outputs: [value('out')] });
  const sources = valueSources(analysisOf([constant, conv, reshape], [value('image')]));

  it('tells weights (no producer, not a graph input) from graph inputs', () => {
    expect(classifyInputs(conv, sources).map((i) => [i.value.name, i.kind, i.producer])).toEqual([
      ['image', 'graph input', null],
      ['conv.weight', 'weight', null],
      ['conv.bias', 'weight', null],
    ]);
  });

  it('names the producer of activations and Constant outputs, and marks omitted inputs', () => {
    expect(classifyInputs(reshape, sources).map((i) => [i.value.name, i.kind, i.producer])).toEqual([
      ['features', 'activation', 'conv'],
      ['shape', 'constant', 'make_shape'],
      ['', 'omitted', null],
    ]);
  });

  it('counts initializers and constants as weights', () => {
    expect(['weight', 'constant', 'activation', 'graph input', 'omitted'].map((k) => isWeight(k as never))).toEqual([true, true, false, false, false]);
  });
});
