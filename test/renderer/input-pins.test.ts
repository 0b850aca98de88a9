import { describe, expect, it } from 'vitest';
import { dimsToPin, pinnedDims } from '../../renderer/src/app/input-pins.js';

const inputs = [
  { name: 'x', dtype: 'float32', shape: ['batch', 3, 'height', null] },
  { name: 'mask', dtype: 'int64', shape: ['batch', 'height'] },
  { name: 'sr', dtype: 'int64', shape: [] },
];

describe('input pins', () => {
  it('asks for each symbolic dim once, and for unnamed ones by input and axis', () => {
    expect(dimsToPin(inputs)).toEqual([
      { key: 'batch', label: 'batch' },
      { key: 'height', label: 'height' },
      { key: 'x[3]', label: 'x dim 3' },
    ]);
  });

  it('pins what was typed as whole numbers and keeps the rest symbolic', () => {
    expect(pinnedDims(inputs, { batch: '1', height: ' 640 ', 'x[3]': 'wide' })).toEqual({
      x: [1, 3, 640, 'x_3'],
      mask: [1, 640],
    });
    expect(pinnedDims(inputs, { batch: '0', height: '2.5' })).toEqual({ x: ['batch', 3, 'height', 'x_3'], mask: ['batch', 'height'] });
  });
});
