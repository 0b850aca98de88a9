import type { LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { COMPUTE_DTYPES } from '../../../engine/core/hardware/device.js';
import { MEASURED_SERIES, PREDICTED_SERIES, rooflineOption, type RooflineInput } from '../../../renderer/src/features/charts/roofline-option.js';
import { ceilings, decadeRange, dotSize, DTYPES, withoutFigure } from '../../../renderer/src/features/charts/roofline-points.js';
import { DEVICE, measured, node } from './fixtures.js';

type Series = LineSeriesOption | ScatterSeriesOption;
type Item = { name: string; value: [number, number]; symbolSize: number; itemStyle?: { borderWidth?: number } };

const NODES = [
  // 2 GFLOP in 40 ms at 1 FLOP/B: 50 GFLOP/s, on the bandwidth line.
  node('conv1', 2e9, 1, 40, 0.8),
  node('relu1', 1e6, 0.25, 0.08, 0.2),
  node('uncounted', 0, null, null, 0),
];

function build(input: Partial<RooflineInput> = {}) {
  const option = rooflineOption({ device: DEVICE, nodes: NODES, measured: null, selected: null, ...input });
  const series = option.series as Series[];
  const byId = (id: string) => series.find((s) => s.id === id);
  const items = (id: string) => (byId(id)?.data ?? []) as Item[];
  return { option, series, byId, items };
}

describe('roofline option', () => {
  it('uses log axes on both sides', () => {
    const { option } = build();
    expect(option.xAxis).toMatchObject({ type: 'log', logBase: 10 });
    expect(option.yAxis).toMatchObject({ type: 'log', logBase: 10 });
  });

  it('puts the ridge of 100 GFLOP/s and 50 GB/s at 2 FLOP/B', () => {
    expect(ceilings(DEVICE)).toEqual([{ dtype: 'fp32', gflops: 100, ridge: 2 }]);
    const { option, byId } = build();
    const [xMin, xMax] = [(option.xAxis as { min: number }).min, (option.xAxis as { max: number }).max];
    expect(byId('ceiling-bandwidth')?.data).toEqual([
      [xMin, 50 * xMin],
      [2, 100],
    ]);
    expect(byId('ceiling-fp32')?.data).toEqual([
      [2, 100],
      [xMax, 100],
    ]);
  });

  it('draws one flat ceiling per element type the device has, the bandwidth line up to the highest ridge', () => {
    const device = { ...DEVICE, peakOpsPerSec: { ...DEVICE.peakOpsPerSec, int8: { value: 400e9, source: 'x' } } };
    const { series, byId } = build({ device });
    expect(series.filter((s) => String(s.id).startsWith('ceiling-')).map((s) => s.id)).toEqual(['ceiling-bandwidth', 'ceiling-fp32', 'ceiling-int8']);
    expect(byId('ceiling-int8')?.data?.[0]).toEqual([8, 400]);
    expect(byId('ceiling-bandwidth')?.data?.[1]).toEqual([8, 400]);
  });

  it('places predicted dots at (intensity, flops / predicted time) and leaves out uncounted nodes', () => {
    const items = build().items(PREDICTED_SERIES);
    expect(items.map((i) => i.name)).toEqual(['conv1', 'relu1']);
    expect(items[0]!.value).toEqual([1, 50]);
    expect(items[1]!.value[0]).toBe(0.25);
    expect(items[1]!.value[1]).toBeCloseTo(12.5, 9);
  });

  it('places measured dots at the analysis intensity and their measured rate, in their own series', () => {
    const { byId, items } = build({ measured: [measured('conv1', 30, 66, 0.9), measured('relu1', null, 1, 0.1), measured('gone', 5, 1, 0)] });
    expect(items(MEASURED_SERIES).map((i) => [i.name, i.value])).toEqual([['conv1', [1, 30]]]);
    expect(byId(MEASURED_SERIES)?.symbol).not.toBe(byId(PREDICTED_SERIES)?.symbol);
    expect(byId(MEASURED_SERIES)?.color).not.toBe(byId(PREDICTED_SERIES)?.color);
  });

  it('has no measured series without measurements', () => {
    expect(build().byId(MEASURED_SERIES)).toBeUndefined();
  });

  it('sizes dots by share of time', () => {
    expect(dotSize(0)).toBe(5);
    expect(dotSize(1)).toBe(40);
    expect(dotSize(0.25)).toBeCloseTo(22.5);
    expect(dotSize(2)).toBe(40);
    const [big, small] = build().items(PREDICTED_SERIES);
    expect(big!.symbolSize).toBeCloseTo(dotSize(0.8));
    expect(small!.symbolSize).toBeCloseTo(dotSize(0.2));
  });

  it('highlights the selected node in every series', () => {
    const { items } = build({ selected: 'relu1', measured: [measured('relu1', 3, 1, 0.1)] });
    const relu = items(PREDICTED_SERIES).find((i) => i.name === 'relu1')!;
    expect(relu.itemStyle?.borderWidth).toBe(3);
    expect(relu.symbolSize).toBeGreaterThan(dotSize(0.2));
    expect(items(PREDICTED_SERIES).find((i) => i.name === 'conv1')!.itemStyle).toBeUndefined();
    expect(items(MEASURED_SERIES)[0]!.itemStyle?.borderWidth).toBe(3);
  });

  it('keeps every dot and ceiling inside the axes', () => {
    const { option, series } = build({ measured: [measured('conv1', 30, 66, 0.9)] });
    const x = option.xAxis as { min: number; max: number };
    const y = option.yAxis as { min: number; max: number };
    for (const s of series) {
      for (const d of s.data as ([number, number] | Item)[]) {
        const [px, py] = Array.isArray(d) ? d : d.value;
        expect(px).toBeGreaterThanOrEqual(x.min);
        expect(px).toBeLessThanOrEqual(x.max);
        expect(py).toBeGreaterThanOrEqual(y.min);
        expect(py).toBeLessThanOrEqual(y.max);
      }
    }
  });

  it('shows the node, escaped, on hover', () => {
    const { option } = build({ nodes: [node('conv<b>', 2e9, 1, 40, 1)] });
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    const html = formatter({ seriesId: PREDICTED_SERIES, name: 'conv<b>' });
    expect(html).toContain('conv&lt;b&gt;');
    expect(html).toContain('50 GFLOP/s');
    expect(formatter({ seriesId: 'ceiling-fp32', name: '' })).toBe('');
  });

  it('rounds axis ranges out to whole decades', () => {
    expect(decadeRange([0.25, 2])).toEqual([0.1, 10]);
    expect(decadeRange([1, 100])).toEqual([0.1, 1000]);
    expect(decadeRange([])).toEqual([0.1, 1000]);
  });

  it('counts the nodes a device has no peak figure for', () => {
    const npu = { ...DEVICE, peakOpsPerSec: { int8: { value: 26e12, source: 'x' } } };
    expect(withoutFigure(NODES, npu)).toEqual({ count: 2, dtypes: ['fp32'] });
    expect(withoutFigure(NODES, DEVICE)).toEqual({ count: 0, dtypes: [] });
  });

  it('knows the same element types as engine/core', () => {
    expect(DTYPES).toEqual(COMPUTE_DTYPES);
  });
});
