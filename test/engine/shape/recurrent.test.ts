import { describe, expect, it } from 'vitest';
import { DataType } from '../../../engine/core/onnx/index.js';
import { attr, node, valueInfo } from '../../support/build.js';
import { infer, shapeOf } from '../../support/shape.js';

const { FLOAT } = DataType;

describe('recurrent layers', () => {
  it('shapes a batch-first bidirectional LSTM, the hidden size read from R', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 'T', 16]), valueInfo('w', FLOAT, [2, 128, 16]), valueInfo('r', FLOAT, [2, 128, 32])],
      node: [node('LSTM', ['x', 'w', 'r'], ['y', 'y_h', 'y_c'], [attr.string('direction', 'bidirectional'), attr.int('layout', 1)])],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['B', 'T', 2, 32] });
    expect(shapeOf(r.typeOf('y_h'))).toEqual({ dtype: FLOAT, shape: ['B', 2, 32] });
    expect(shapeOf(r.typeOf('y_c'))).toEqual({ dtype: FLOAT, shape: ['B', 2, 32] });
  });

  it('gives Y_h alone when Y is omitted, the hidden size from W and the gate count', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['T', 'B', 8]), valueInfo('w', FLOAT, [1, 60, 8]), valueInfo('r', FLOAT)],
      node: [node('GRU', ['x', 'w', 'r'], ['', 'y_h'])],
    });
    expect(shapeOf(r.typeOf('y_h'))).toEqual({ dtype: FLOAT, shape: [1, 'B', 20] });
  });

  it('takes hidden_size from the attribute and rejects weights for the wrong number of directions', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['T', 'B', 8]), valueInfo('w', FLOAT, [1, 10, 8]), valueInfo('w2', FLOAT, [2, 10, 8]), valueInfo('r', FLOAT, [1, 10, 10])],
      node: [node('RNN', ['x', 'w', 'r'], ['y'], [attr.int('hidden_size', 10)]), node('RNN', ['x', 'w2', 'r'], ['bad'], [], { name: 'bad' })],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['T', 1, 'B', 10] });
    expect([...r.unknown.values()].find((u) => u.node.name === 'bad')?.reason).toMatch(/W is for 2 direction\(s\); direction is forward/);
  });
});
