import { describe, expect, it } from 'vitest';
import { DataType } from '../../../engine/core/onnx/index.js';
import { attr, node, valueInfo } from '../../support/build.js';
import { infer, reasonFor, shapeOf } from '../../support/shape.js';

const { FLOAT, INT8, UINT8 } = DataType;
const MS = { domain: 'com.microsoft' };

describe('MatMul', () => {
  it('promotes 1-D operands and broadcasts batch dims', () => {
    const r = infer({
      input: [
        valueInfo('v', FLOAT, ['K']),
        valueInfo('m', FLOAT, ['B', 'K', 'N']),
        valueInfo('a', FLOAT, ['B', 'M', 'K']),
        valueInfo('x', FLOAT, [2, 1, 'M', 64]),
        valueInfo('y', FLOAT, [3, 64, 'N']),
        valueInfo('p', FLOAT, ['b', 'M', 64]),
        valueInfo('q', FLOAT, ['c', 64, 'N']),
      ],
      node: [
        node('MatMul', ['v', 'v'], ['dot']),
        node('MatMul', ['v', 'm'], ['row']),
        node('MatMul', ['a', 'v'], ['col']),
        node('MatMul', ['x', 'y'], ['batched']),
        node('MatMul', ['p', 'q'], ['two_symbols']),
      ],
    });
    expect(shapeOf(r.typeOf('dot'))).toEqual({ dtype: FLOAT, shape: [] });
    expect(shapeOf(r.typeOf('row'))).toEqual({ dtype: FLOAT, shape: ['B', 'N'] });
    expect(shapeOf(r.typeOf('col'))).toEqual({ dtype: FLOAT, shape: ['B', 'M'] });
    expect(shapeOf(r.typeOf('batched'))).toEqual({ dtype: FLOAT, shape: [2, 3, 'M', 'N'] });
    // Either of b and c might be 1 at run time.
    expect(shapeOf(r.typeOf('two_symbols'))).toEqual({ dtype: FLOAT, shape: [null, 'M', 'N'] });
    const mismatch = infer({ input: [valueInfo('a', FLOAT, [2, 3]), valueInfo('b', FLOAT, [4, 5])], node: [node('MatMul', ['a', 'b'], ['c'], [], { name: 'mm' })] });
    expect(reasonFor(mismatch, 'mm')).toMatch(/inner dims differ: 3 against 4/);
  });

  it('reorders ONNX Runtime FusedMatMul operands and sizes MatMulNBits from its attributes', () => {
    const r = infer({
      input: [valueInfo('a', FLOAT, ['B', 'K', 'M']), valueInfo('b', FLOAT, ['B', 'K', 'N']), valueInfo('s', FLOAT, ['X', 'Y', 'Z']), valueInfo('t', FLOAT, ['Y', 'Z', 'N']), valueInfo('h', FLOAT, ['B', 'S', 4096])],
      node: [
        node('FusedMatMul', ['a', 'b'], ['trans_a'], [attr.int('transA', 1)], MS),
        node('FusedMatMul', ['s', 't'], ['trans_batch'], [attr.int('transBatchA', 1)], MS),
        node('MatMulNBits', ['h', 'w', 'scales'], ['nbits'], [attr.int('K', 4096), attr.int('N', 11008), attr.int('bits', 4), attr.int('block_size', 32)], MS),
      ],
    });
    expect(shapeOf(r.typeOf('trans_a'))).toEqual({ dtype: FLOAT, shape: ['B', 'M', 'N'] });
    expect(shapeOf(r.typeOf('trans_batch'))).toEqual({ dtype: FLOAT, shape: ['Y', 'X', 'N'] });
    expect(shapeOf(r.typeOf('nbits'))).toEqual({ dtype: FLOAT, shape: ['B', 'S', 11008] });
  });
});

describe('Gemm', () => {
  it('applies transA/transB, checks C against (M, N), and types QGemm by its output zero point', () => {
    const r = infer({
      input: [
        valueInfo('a', FLOAT, ['K', 'M']),
        valueInfo('b', FLOAT, [5, 'K']),
        valueInfo('c', FLOAT, [1, 5]),
        valueInfo('c7', FLOAT, [7]),
        valueInfo('qa', UINT8, ['M', 64]),
        valueInfo('qb', INT8, [64, 10]),
        valueInfo('yz', UINT8, []),
      ],
      node: [
        node('Gemm', ['a', 'b', 'c'], ['y'], [attr.int('transA', 1), attr.int('transB', 1)]),
        node('Gemm', ['a', 'b', 'c7'], ['bad'], [attr.int('transA', 1), attr.int('transB', 1)], { name: 'bad' }),
        node('QGemm', ['qa', 'sa', 'za', 'qb', 'sb', 'zb'], ['qf'], [], MS),
        node('QGemm', ['qa', 'sa', 'za', 'qb', 'sb', 'zb', '', 'ys', 'yz'], ['qq'], [], MS),
      ],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['M', 5] });
    expect(reasonFor(r, 'bad')).toMatch(/does not broadcast/);
    expect(shapeOf(r.typeOf('qf'))).toEqual({ dtype: FLOAT, shape: ['M', 10] });
    expect(shapeOf(r.typeOf('qq'))).toEqual({ dtype: UINT8, shape: ['M', 10] });
  });
});

describe('Einsum', () => {
  it('parses explicit and implicit equations, ellipsis broadcasting, diagonals and spaces', () => {
    const r = infer({
      input: [
        valueInfo('a', FLOAT, ['I', 'J']),
        valueInfo('b', FLOAT, ['J', 'K']),
        valueInfo('x', FLOAT, [2, 1, 'M', 8]),
        valueInfo('y', FLOAT, [3, 8, 'N']),
        valueInfo('p', FLOAT, ['B', 4, 8]),
        valueInfo('q', FLOAT, ['B', 8, 5]),
        valueInfo('m', FLOAT, [2, 3]),
        valueInfo('n', FLOAT, [3, 7]),
        valueInfo('d', FLOAT, ['N', 4, 4]),
      ],
      node: [
        node('Einsum', ['a', 'b'], ['implicit'], [attr.string('equation', 'ij,jk')]),
        node('Einsum', ['x', 'y'], ['ellipsis'], [attr.string('equation', '...ij,...jk->...ik')]),
        node('Einsum', ['p', 'q'], ['summed'], [attr.string('equation', 'bij,bjk')]),
        node('Einsum', ['m', 'n'], ['ascii'], [attr.string('equation', 'ba,aB')]),
        node('Einsum', ['d'], ['diagonal'], [attr.string('equation', '...ii ->...i')]),
        node('Einsum', ['a', 'b'], ['spaced'], [attr.string('equation', ' i j , j k -> k i ')]),
        node('Einsum', ['m', 'm'], ['bad'], [attr.string('equation', 'ij,jk->ik')], { name: 'bad' }),
      ],
    });
    expect(shapeOf(r.typeOf('implicit'))).toEqual({ dtype: FLOAT, shape: ['I', 'K'] });
    expect(shapeOf(r.typeOf('ellipsis'))).toEqual({ dtype: FLOAT, shape: [2, 3, 'M', 'N'] });
    expect(shapeOf(r.typeOf('summed'))).toEqual({ dtype: FLOAT, shape: [4, 5] });
    // Implicit output labels sort by ASCII: upper case first.
    expect(shapeOf(r.typeOf('ascii'))).toEqual({ dtype: FLOAT, shape: [7, 2] });
    expect(shapeOf(r.typeOf('diagonal'))).toEqual({ dtype: FLOAT, shape: ['N', 4] });
    expect(shapeOf(r.typeOf('spaced'))).toEqual({ dtype: FLOAT, shape: ['K', 'I'] });
    expect(reasonFor(r, 'bad')).toMatch(/label "j" is 3 in one input and 2 in another/);
  });
});

describe('Det', () => {
  it('keeps the batch dims of square matrices', () => {
    const r = infer({ input: [valueInfo('x', FLOAT, ['B', 3, 3]), valueInfo('r', FLOAT, [3, 4])], node: [node('Det', ['x'], ['d']), node('Det', ['r'], ['bad'], [], { name: 'bad' })] });
    expect(shapeOf(r.typeOf('d'))).toEqual({ dtype: FLOAT, shape: ['B'] });
    expect(reasonFor(r, 'bad')).toMatch(/not square/);
  });
});
