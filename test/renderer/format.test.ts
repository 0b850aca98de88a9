import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatExact, formatShare, opsetLabels, opTypeRows, producerLabel, shapeDims } from '../../renderer/src/features/summary/format.js';

describe('summary formatting', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1.00 K'],
    [133_665, '134 K'],
    [999_499, '999 K'],
    [999_999, '1.00 M'],
    [1_234_567, '1.23 M'],
    [7_000_000_000, '7.00 G'],
  ])('formatCount(%d) is %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });

  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [534_660, '522 KiB'],
    [1_048_000, '1023 KiB'],
    [1_290_000, '1.23 MiB'],
    [5 * 2 ** 30, '5.00 GiB'],
  ])('formatBytes(%d) is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it('prints exact numbers grouped and shares as percentages', () => {
    expect(formatExact(133_665)).toBe('133,665');
    expect(formatShare(250 / 471)).toBe('53.1%');
    expect(formatShare(0)).toBe('0.0%');
    expect(formatShare(1 / 5000)).toBe('<0.1%');
  });

  it('shows symbolic dims by name and unknown ones as ?', () => {
    expect(shapeDims(['batch', 3, null, 224])).toEqual([
      { text: 'batch', kind: 'symbolic' },
      { text: '3', kind: 'fixed' },
      { text: '?', kind: 'unknown' },
      { text: '224', kind: 'fixed' },
    ]);
    expect(shapeDims([])).toEqual([]);
    expect(shapeDims(undefined)).toBeNull();
  });

  it('sorts op types by count, ties by name, with shares and bar lengths', () => {
    expect(opTypeRows({ Relu: 2, Conv: 4, Add: 2 })).toEqual([
      { op: 'Conv', count: 4, share: 0.5, relative: 1 },
      { op: 'Add', count: 2, share: 0.25, relative: 0.5 },
      { op: 'Relu', count: 2, share: 0.25, relative: 0.5 },
    ]);
    expect(opTypeRows({})).toEqual([]);
  });

  it('lists the default opset first and names a missing producer', () => {
    expect(opsetLabels({ 'com.microsoft': 1, 'ai.onnx.ml': 3, 'ai.onnx': 17 })).toEqual(['ai.onnx 17', 'ai.onnx.ml 3', 'com.microsoft 1']);
    expect(producerLabel({ name: 'pytorch', version: '2.1.0' })).toBe('pytorch 2.1.0');
    expect(producerLabel({ name: '', version: '' })).toBeNull();
  });
});
