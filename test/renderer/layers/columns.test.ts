import { describe, expect, it } from 'vitest';
import { COLUMNS, firstSortDir, visibleColumns, type ColumnKey } from '../../../renderer/src/features/layers/columns.js';
import { layerRows, totalsOf } from '../../../renderer/src/features/layers/layer-rows.js';
import { node } from './fixtures.js';

const column = (key: ColumnKey) => COLUMNS.find((c) => c.key === key)!;

describe('layer columns', () => {
  const [big, uncounted] = layerRows(
    [
      node(0, { macs: 1_234_567_890, params: 3_400, readBytes: 3 * 1024 * 1024, writeBytes: 576 * 1024, intensity: 12.345, predictedMs: 0.01234, share: 0.5312 }),
      node(1, { counted: false, uncountedReason: 'no cost rule for Magic', intensity: null, bound: null, predictedMs: null, share: 0 }),
    ],
    [{ name: 'n0', opType: 'Conv', ms: 0.02, share: 1, kernel: 'k', gflops: 123.4, gbps: 5.678, predictedMs: 0.01234 }],
  ) as [never, never];

  it('shows compact numbers with the exact value as tooltip', () => {
    expect(column('macs').cell(big)).toEqual({ text: '1.23 G', title: '1,234,567,890 MACs' });
    expect(column('params').cell(big)).toEqual({ text: '3.40 K', title: '3,400 parameters' });
    expect(column('bytesMoved').cell(big)).toEqual({ text: '3.56 MiB', title: '3,735,552 bytes' });
    expect(column('intensity').cell(big)).toEqual({ text: '12.3', title: '12.345 FLOP/byte' });
    expect(column('predictedMs').cell(big)).toEqual({ text: '0.0123', title: '0.01234 ms' });
    expect(column('share').cell(big).text).toBe('53.1%');
    expect(column('gflops').cell(big).text).toBe('123');
  });

  it('shows a dash with the reason where a figure was not counted', () => {
    expect(column('macs').cell(uncounted)).toEqual({ text: '—', title: 'no cost rule for Magic' });
    expect(column('predictedMs').cell(uncounted).text).toBe('—');
    expect(column('bound').cell(uncounted)).toEqual({ text: 'uncounted', title: 'no cost rule for Magic' });
  });

  it('gives the totals row sums, and nothing where a sum means nothing', () => {
    const totals = totalsOf([big, uncounted]);
    expect(column('params').total?.(totals).title).toBe('3,410 parameters');
    expect(column('gflops').total).toBeUndefined();
    expect(column('bound').total).toBeUndefined();
  });

  it('adds the measured columns only with measurements', () => {
    expect(visibleColumns(false).map((c) => c.key)).not.toContain('measuredMs');
    expect(visibleColumns(true).slice(-3).map((c) => c.key)).toEqual(['measuredMs', 'gflops', 'gbps']);
  });

  it('sorts figures largest first and text and position in order on first click', () => {
    expect(firstSortDir(column('macs'))).toBe('desc');
    expect(firstSortDir(column('index'))).toBe('asc');
    expect(firstSortDir(column('name'))).toBe('asc');
  });
});
