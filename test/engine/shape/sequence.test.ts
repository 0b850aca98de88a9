import { describe, expect, it } from 'vitest';
import { DataType, type TensorProto } from '../../../engine/core/onnx/index.js';
import { type ValueType } from '../../../engine/core/shape/index.js';
import { attr, graph, leBytes, node, tensor, tensorType, valueInfo } from '../../support/build.js';
import { infer } from '../../support/shape.js';

const { FLOAT, INT64, BOOL } = DataType;

function int64(name: string, values: number[], dims: number[] = []): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, BigInt)) });
}

function shapeOf(t: ValueType | undefined) {
  return t?.kind === 'tensor' ? { dtype: t.dtype, shape: t.shape, ...(t.value ? { value: t.value } : {}) } : t;
}

describe('sequences', () => {
  it('tracks the length of a split, so SequenceLength and ConcatFromSequence are known', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, [6, 'N'])],
      initializer: [int64('two', [2])],
      node: [
        node('SplitToSequence', ['x', 'two'], ['parts']),
        node('SequenceLength', ['parts'], ['n']),
        node('ConcatFromSequence', ['parts'], ['cat'], [attr.int('axis', -1)]),
        node('ConcatFromSequence', ['parts'], ['stacked'], [attr.int('axis', 0), attr.int('new_axis', 1)]),
        node('SequenceAt', ['parts', 'two'], ['third']),
      ],
    });
    expect(r.typeOf('parts')).toEqual({ kind: 'sequence', elem: { kind: 'tensor', dtype: FLOAT, shape: [2, 'N'] }, length: 3 });
    expect(shapeOf(r.typeOf('n'))).toEqual({ dtype: INT64, shape: [], value: [3] });
    expect(shapeOf(r.typeOf('cat'))).toEqual({ dtype: FLOAT, shape: [2, '3*N'] });
    expect(shapeOf(r.typeOf('stacked'))).toEqual({ dtype: FLOAT, shape: [3, 2, 'N'] });
    expect(shapeOf(r.typeOf('third'))).toEqual({ dtype: FLOAT, shape: [2, 'N'] });
  });

  it('splits into unequal chunks with the chunk dim unknown, and drops the axis without keepdims', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, [5, 3])],
      initializer: [int64('two', [2]), int64('sizes', [1, 4], [2])],
      node: [
        node('SplitToSequence', ['x', 'two'], ['uneven']),
        node('SplitToSequence', ['x', 'sizes'], ['listed']),
        node('SplitToSequence', ['x'], ['rows'], [attr.int('keepdims', 0)]),
      ],
    });
    expect(r.typeOf('uneven')).toEqual({ kind: 'sequence', elem: { kind: 'tensor', dtype: FLOAT, shape: [null, 3] }, length: 3 });
    expect(r.typeOf('listed')).toEqual({ kind: 'sequence', elem: { kind: 'tensor', dtype: FLOAT, shape: [null, 3] }, length: 2 });
    expect(r.typeOf('rows')).toEqual({ kind: 'sequence', elem: { kind: 'tensor', dtype: FLOAT, shape: [3] }, length: 5 });
  });

  it('merges the elements of SequenceConstruct dim by dim', () => {
    const r = infer({
      input: [valueInfo('a', FLOAT, ['B', 4]), valueInfo('b', FLOAT, ['B', 5])],
      node: [node('SequenceConstruct', ['a', 'b'], ['s']), node('SequenceErase', ['s'], ['t']), node('ConcatFromSequence', ['s'], ['cat'], [attr.int('axis', 1)], { name: 'cat' })],
    });
    expect(r.typeOf('s')).toEqual({ kind: 'sequence', elem: { kind: 'tensor', dtype: FLOAT, shape: ['B', null] }, length: 2 });
    expect(r.typeOf('t')).toEqual({ kind: 'sequence', elem: { kind: 'tensor', dtype: FLOAT, shape: ['B', null] }, length: 1 });
    expect(shapeOf(r.typeOf('cat'))).toEqual({ dtype: FLOAT, shape: ['B', 'cat_length'] });
  });

  it('fills a SequenceEmpty in a Loop: the empty start constrains only the element type', () => {
    const body = graph({
      name: 'body',
      input: [valueInfo('i', INT64, []), valueInfo('c', BOOL, []), { name: 'seq_in', type: { denotation: '', sequenceType: { elemType: tensorType(FLOAT) } }, docString: '', metadataProps: [] }],
      node: [node('Identity', ['c'], ['c_out']), node('SequenceInsert', ['seq_in', 'x'], ['seq_out'])],
      output: [valueInfo('c_out', BOOL), valueInfo('seq_out', 0)],
    });
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 4])],
      initializer: [int64('M', [3])],
      node: [
        node('SequenceEmpty', [], ['empty']),
        node('Loop', ['M', '', 'empty'], ['filled'], [attr.graph('body', body)]),
        node('ConcatFromSequence', ['filled'], ['stacked'], [attr.int('axis', 0), attr.int('new_axis', 1)], { name: 'stack' }),
      ],
    });
    expect(r.typeOf('filled')).toEqual({ kind: 'sequence', elem: { kind: 'tensor', dtype: FLOAT, shape: ['B', 4] } });
    expect(shapeOf(r.typeOf('stacked'))).toEqual({ dtype: FLOAT, shape: ['stack_count', 'B', 4] });
    expect(r.findings).toEqual([]);
  });

  it('maps a body over a sequence, keeping its length', () => {
    const body = graph({ name: 'body', input: [valueInfo('e', FLOAT), valueInfo('k', FLOAT)], node: [node('Mul', ['e', 'k'], ['p'])], output: [valueInfo('p', FLOAT)] });
    const r = infer({
      input: [valueInfo('a', FLOAT, ['B', 4]), valueInfo('k', FLOAT, [4])],
      node: [node('SequenceConstruct', ['a', 'a'], ['s']), node('SequenceMap', ['s', 'k'], ['m'], [attr.graph('body', body)])],
    });
    expect(r.typeOf('m')).toEqual({ kind: 'sequence', elem: { kind: 'tensor', dtype: FLOAT, shape: ['B', 4] }, length: 2 });
  });
});

describe('optionals', () => {
  it('wraps, unwraps and knows presence when it can', () => {
    const typeAttr = { ...attr.int('type', 0), type: 13, i: undefined, tp: tensorType(FLOAT, [3]) };
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B'])],
      node: [
        node('Optional', ['x'], ['some']),
        node('Optional', [], ['none'], [typeAttr]),
        node('OptionalGetElement', ['some'], ['got']),
        node('OptionalHasElement', ['x'], ['plain']),
        node('OptionalHasElement', [], ['absent']),
        node('OptionalHasElement', ['none'], ['maybe']),
      ],
    });
    expect(r.typeOf('some')).toEqual({ kind: 'optional', elem: { kind: 'tensor', dtype: FLOAT, shape: ['B'] } });
    expect(r.typeOf('none')).toEqual({ kind: 'optional', elem: { kind: 'tensor', dtype: FLOAT, shape: [3] } });
    expect(shapeOf(r.typeOf('got'))).toEqual({ dtype: FLOAT, shape: ['B'] });
    expect(shapeOf(r.typeOf('plain'))).toEqual({ dtype: BOOL, shape: [], value: [1] });
    expect(shapeOf(r.typeOf('absent'))).toEqual({ dtype: BOOL, shape: [], value: [0] });
    expect(shapeOf(r.typeOf('maybe'))).toEqual({ dtype: BOOL, shape: [] });
  });
});
