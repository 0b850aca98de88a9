import { describe, expect, it } from 'vitest';
import type { MeasuredNode } from '../../../engine/protocol/index.js';
import { DEFAULT_FILTER, filterRows, layerRows, NO_FILTER, sortRows, totalsOf, valueCounts, type LayerRow } from '../../../renderer/src/features/layers/layer-rows.js';
import { node } from './fixtures.js';

const nodes = [
  node(0, { name: 'stem.conv', macs: 500, flops: 1000, readBytes: 300, writeBytes: 200, bound: 'compute', predictedMs: 2, share: 0.5 }),
  node(1, { name: 'stem.relu', opType: 'Relu', macs: 0, flops: 50, params: 0, readBytes: 100, writeBytes: 100, predictedMs: 0.5, share: 0.125 }),
  node(2, { name: 'head.custom', opType: 'com.acme.Magic', counted: false, uncountedReason: 'no cost rule for com.acme.Magic', macs: 0, flops: 0, readBytes: 0, writeBytes: 0, intensity: null, bound: null, predictedMs: null, share: 0 }),
  node(3, { name: 'head.CONV', outputs: [{ name: 'a', dtype: 'float32', shape: [1, 'seq', null] }, { name: 'b', dtype: 'float32' }], bound: null, intensity: null, predictedMs: null, share: 0 }),
];
const measured: MeasuredNode[] = [{ name: 'stem.conv', opType: 'Conv', ms: 1.5, share: 0.6, kernel: 'FusedConv', gflops: 0.667, gbps: 0.333, predictedMs: 2 }];

const names = (rows: readonly LayerRow[]) => rows.map((r) => r.name);

describe('layerRows', () => {
  const rows = layerRows(nodes, measured);

  it('keeps execution order and joins measurements by name', () => {
    expect(names(rows)).toEqual(['stem.conv', 'stem.relu', 'head.custom', 'head.CONV']);
    expect(rows[0]).toMatchObject({ measuredMs: 1.5, gflops: 0.667, gbps: 0.333, bytesMoved: 500, bound: 'compute' });
    expect(rows[1]).toMatchObject({ measuredMs: null, gflops: null, gbps: null });
  });

  it('reports uncounted costs as unknown, never as zero', () => {
    expect(rows[2]).toMatchObject({ macs: null, flops: null, bytesMoved: null, intensity: null, bound: 'uncounted', params: 10, uncountedReason: 'no cost rule for com.acme.Magic' });
  });

  it('names a counted node the device has no figure for', () => {
    expect(rows[3]!.bound).toBe('no figure');
  });

  it('writes every output shape, symbolic and unknown dims included', () => {
    expect(rows[0]!.outputShape).toBe('[1, 8, 4, 4]');
    expect(rows[3]!.outputShape).toBe('[1, seq, ?] [?]');
  });
});

describe('filterRows', () => {
  const rows = layerRows(nodes);

  it('returns the rows themselves without a filter', () => {
    expect(filterRows(rows, NO_FILTER)).toBe(rows);
  });

  it('filters by op type, bound and name text, all at once', () => {
    expect(names(filterRows(rows, { ...NO_FILTER, opType: 'Conv' }))).toEqual(['stem.conv', 'head.CONV']);
    expect(names(filterRows(rows, { ...NO_FILTER, bound: 'uncounted' }))).toEqual(['head.custom']);
    expect(names(filterRows(rows, { ...NO_FILTER, text: ' conv ' }))).toEqual(['stem.conv', 'head.CONV']);
    expect(names(filterRows(rows, { ...NO_FILTER, opType: 'Conv', bound: 'compute', text: 'stem' }))).toEqual(['stem.conv']);
    expect(filterRows(rows, { ...NO_FILTER, text: 'nothing' })).toEqual([]);
  });

  it('lists nodes that do no work only when asked, and opens without them', () => {
    const constant = { ...nodes[0]!, name: 'weights', opType: 'Constant', counted: true, macs: 0, flops: 0, readBytes: 0, writeBytes: 0, bound: null, predictedMs: 0 };
    const withConstant = layerRows([...nodes, constant]);
    expect(withConstant.at(-1)!.bound).toBe('no work');
    expect(names(filterRows(withConstant, DEFAULT_FILTER))).toEqual(names(rows));
    expect(names(filterRows(withConstant, NO_FILTER))).toContain('weights');
    expect(names(filterRows(withConstant, { ...DEFAULT_FILTER, bound: 'no work' }))).toEqual(['weights']);
  });

  it('counts the values offered as filters, most frequent first', () => {
    expect(valueCounts(rows, (r) => r.opType)).toEqual([
      { value: 'Conv', count: 2 },
      { value: 'com.acme.Magic', count: 1 },
      { value: 'Relu', count: 1 },
    ]);
  });
});

describe('sortRows', () => {
  const rows = layerRows(nodes, measured);

  it('sorts numbers both ways with unknown values last either way', () => {
    expect(names(sortRows(rows, (r) => r.predictedMs, 'desc'))).toEqual(['stem.conv', 'stem.relu', 'head.custom', 'head.CONV']);
    expect(names(sortRows(rows, (r) => r.predictedMs, 'asc'))).toEqual(['stem.relu', 'stem.conv', 'head.custom', 'head.CONV']);
    expect(names(sortRows(rows, (r) => r.measuredMs, 'asc'))[0]).toBe('stem.conv');
  });

  it('breaks ties by execution order whatever the direction', () => {
    expect(names(sortRows(rows, (r) => r.params, 'desc'))).toEqual(['stem.conv', 'head.custom', 'head.CONV', 'stem.relu']);
    expect(names(sortRows(rows, (r) => r.params, 'asc'))).toEqual(['stem.relu', 'stem.conv', 'head.custom', 'head.CONV']);
  });

  it('sorts text case-insensitively with numbers in numeric order', () => {
    const many = layerRows([node(0, { name: 'layer10' }), node(1, { name: 'layer9' }), node(2, { name: 'Layer1' })]);
    expect(names(sortRows(many, (r) => r.name, 'asc'))).toEqual(['Layer1', 'layer9', 'layer10']);
  });

  it('does not reorder its input', () => {
    sortRows(rows, (r) => r.name, 'desc');
    expect(names(rows)[0]).toBe('stem.conv');
  });
});

describe('totalsOf', () => {
  it('sums the given rows, skipping unknown figures', () => {
    const t = totalsOf(layerRows(nodes, measured));
    expect(t).toEqual({ rows: 4, macs: 600, flops: 1250, params: 30, bytesMoved: 800, intensity: 1250 / 800, predictedMs: 2.5, share: 0.625, measuredMs: 1.5 });
  });

  it('has no intensity or measured time when there is nothing to divide or measure', () => {
    expect(totalsOf([])).toMatchObject({ rows: 0, macs: 0, intensity: null, measuredMs: null });
  });
});
