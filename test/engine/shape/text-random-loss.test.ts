import { describe, expect, it } from 'vitest';
import { DataType } from '../../../engine/core/onnx/index.js';
import { attr, node, valueInfo } from '../../support/build.js';
import { infer, shapeOf } from '../../support/shape.js';

const { FLOAT, INT64, INT32, STRING, BOOL, UINT8, DOUBLE } = DataType;

describe('string and image ops', () => {
  it('names the sizes only the data decides after the node', () => {
    const stopwords = { ...attr.int('stopwords', 0), type: 8, i: undefined, strings: [new TextEncoder().encode('the')] };
    const r = infer({
      input: [valueInfo('words', STRING, [1, 'C']), valueInfo('text', STRING, ['B']), valueInfo('jpeg', UINT8, ['bytes'])],
      node: [
        node('StringNormalizer', ['words'], ['kept'], [stopwords], { name: 'norm' }),
        node('StringNormalizer', ['words'], ['lower'], [attr.string('case_change_action', 'LOWER')]),
        node('StringSplit', ['text'], ['parts', 'counts'], [], { name: 'split' }),
        node('RegexFullMatch', ['text'], ['match'], [attr.string('pattern', 'a+')]),
        node('StringConcat', ['text', 'words'], ['joined']),
        node('ImageDecoder', ['jpeg'], ['gray'], [attr.string('pixel_format', 'Grayscale')], { name: 'decode' }),
      ],
    });
    expect(shapeOf(r.typeOf('kept'))).toEqual({ dtype: STRING, shape: [1, 'norm_kept'] });
    expect(shapeOf(r.typeOf('lower'))).toEqual({ dtype: STRING, shape: [1, 'C'] });
    expect(shapeOf(r.typeOf('parts'))).toEqual({ dtype: STRING, shape: ['B', 'split_parts'] });
    expect(shapeOf(r.typeOf('counts'))).toEqual({ dtype: INT64, shape: ['B'] });
    expect(shapeOf(r.typeOf('match'))).toEqual({ dtype: BOOL, shape: ['B'] });
    expect(shapeOf(r.typeOf('joined'))).toEqual({ dtype: STRING, shape: [1, null] });
    expect(shapeOf(r.typeOf('gray'))).toEqual({ dtype: UINT8, shape: ['decode_height', 'decode_width', 1] });
  });
});

describe('random generators', () => {
  it('takes the shape from the attribute or the input and the dtype from the attribute when set', () => {
    const r = infer({
      input: [valueInfo('x', DOUBLE, ['B', 3]), valueInfo('p', FLOAT, ['B', 10])],
      node: [
        node('RandomNormal', [], ['n'], [attr.ints('shape', [2, 5])]),
        node('RandomUniform', [], ['u'], [attr.ints('shape', [4]), attr.int('dtype', DOUBLE)]),
        node('RandomUniformLike', ['x'], ['ul']),
        node('RandomNormalLike', ['x'], ['nl'], [attr.int('dtype', FLOAT)]),
        node('Bernoulli', ['x'], ['b'], [attr.int('dtype', BOOL)]),
        node('Multinomial', ['p'], ['m'], [attr.int('sample_size', 7)]),
      ],
    });
    expect(shapeOf(r.typeOf('n'))).toEqual({ dtype: FLOAT, shape: [2, 5] });
    expect(shapeOf(r.typeOf('u'))).toEqual({ dtype: DOUBLE, shape: [4] });
    expect(shapeOf(r.typeOf('ul'))).toEqual({ dtype: DOUBLE, shape: ['B', 3] });
    expect(shapeOf(r.typeOf('nl'))).toEqual({ dtype: FLOAT, shape: ['B', 3] });
    expect(shapeOf(r.typeOf('b'))).toEqual({ dtype: BOOL, shape: ['B', 3] });
    expect(shapeOf(r.typeOf('m'))).toEqual({ dtype: INT32, shape: ['B', 7] });
  });
});

describe('losses and detection', () => {
  it('gives per-element losses on symbolic dims, scalars when reduced, and a named count for NMS', () => {
    const r = infer({
      input: [
        valueInfo('scores', FLOAT, ['N', 10, 'H', 'W']),
        valueInfo('labels', INT64, [null, 'H', 'W']),
        valueInfo('boxes', FLOAT, [1, 'K', 4]),
        valueInfo('box_scores', FLOAT, [1, 3, 'K']),
      ],
      node: [
        node('SoftmaxCrossEntropyLoss', ['scores', 'labels'], ['loss', 'log_prob'], [attr.string('reduction', 'none')]),
        node('NegativeLogLikelihoodLoss', ['scores', 'labels'], ['nll']),
        node('NonMaxSuppression', ['boxes', 'box_scores'], ['selected'], [], { name: 'nms' }),
      ],
    });
    expect(shapeOf(r.typeOf('loss'))).toEqual({ dtype: FLOAT, shape: ['N', 'H', 'W'] });
    expect(shapeOf(r.typeOf('log_prob'))).toEqual({ dtype: FLOAT, shape: ['N', 10, 'H', 'W'] });
    expect(shapeOf(r.typeOf('nll'))).toEqual({ dtype: FLOAT, shape: [] });
    expect(shapeOf(r.typeOf('selected'))).toEqual({ dtype: INT64, shape: ['nms_selected', 3] });
  });
});
