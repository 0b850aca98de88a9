import { describe, expect, it } from 'vitest';
import { formatDecimal, formatMs, shapeText } from '../../../renderer/src/features/layers/format.js';

describe('layer formatting', () => {
  it.each([
    [0, '0'],
    [0.0005, '<0.001'],
    [0.001234, '0.00123'],
    [1.5, '1.50'],
    [99.94, '99.9'],
    [123.4, '123'],
    [1234.5, '1235'],
  ])('formatDecimal(%d) is %s', (n, text) => {
    expect(formatDecimal(n)).toBe(text);
  });

  it('writes milliseconds with their unit', () => {
    expect(formatMs(0.0187)).toBe('0.0187 ms');
  });

  it('writes shapes with symbolic and unknown dims', () => {
    expect(shapeText([1, 'batch', null])).toBe('[1, batch, ?]');
    expect(shapeText([])).toBe('[]');
    expect(shapeText(undefined)).toBe('[?]');
  });
});
