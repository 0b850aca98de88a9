import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { opTypeBars, opTypeOption } from '../../../renderer/src/features/charts/op-type-option.js';
import { opType } from './fixtures.js';

const BY_OP = [opType('Relu', 1, 0, 4000), opType('Conv', 8, 1e6, 1000), opType('Add', 2, 0, 2000)];

describe('op-type breakdown', () => {
  it('orders op types by predicted time', () => {
    expect(opTypeBars(BY_OP, null, 'time')).toEqual([
      { opType: 'Conv', predicted: 8, measured: null },
      { opType: 'Add', predicted: 2, measured: null },
      { opType: 'Relu', predicted: 1, measured: null },
    ]);
  });

  it('switches metric to MACs and to bytes read and written', () => {
    expect(opTypeBars(BY_OP, null, 'macs').map((b) => [b.opType, b.predicted])).toEqual([
      ['Conv', 1e6],
      ['Add', 0],
      ['Relu', 0],
    ]);
    expect(opTypeBars(BY_OP, null, 'bytes').map((b) => b.opType)).toEqual(['Relu', 'Add', 'Conv']);
  });

  it('joins measured time by op type and orders by it', () => {
    const measured = [
      { opType: 'Relu', ms: 9, share: 0.6, gflops: null, gbps: null },
      { opType: 'Conv', ms: 6, share: 0.4, gflops: 1, gbps: 1 },
    ];
    expect(opTypeBars(BY_OP, measured, 'time')).toEqual([
      { opType: 'Relu', predicted: 1, measured: 9 },
      { opType: 'Conv', predicted: 8, measured: 6 },
      { opType: 'Add', predicted: 2, measured: 0 },
    ]);
    expect(opTypeBars(BY_OP, measured, 'macs').every((b) => b.measured === null)).toBe(true);
  });

  it('sums the smallest op types beyond the limit into one bar', () => {
    const bars = opTypeBars(BY_OP, null, 'time', 2);
    expect(bars).toEqual([
      { opType: 'Conv', predicted: 8, measured: null },
      { opType: 'Other (2)', predicted: 3, measured: null },
    ]);
  });

  it('draws a measured series only when there are measurements', () => {
    const plain = opTypeOption(opTypeBars(BY_OP, null, 'time'), 'time');
    expect((plain.series as BarSeriesOption[]).map((s) => s.id)).toEqual(['predicted']);
    const both = opTypeOption(opTypeBars(BY_OP, [{ opType: 'Conv', ms: 6, share: 1, gflops: 1, gbps: 1 }], 'time'), 'time');
    const series = both.series as BarSeriesOption[];
    expect(series.map((s) => s.id)).toEqual(['predicted', 'measured']);
    expect(series[1]!.data).toEqual([6, 0, 0]);
    expect(both.yAxis).toMatchObject({ type: 'category', data: ['Conv', 'Add', 'Relu'] });
  });
});
