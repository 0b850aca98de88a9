import { describe, expect, it } from 'vitest';
import { benchmarkOptions } from '../../../engine/protocol/index.js';
import { percent } from '../../../renderer/src/components/job-progress.js';
import { DEFAULT_FORM, inputSummary, toBenchmarkOptions } from '../../../renderer/src/features/bench/bench-form.js';

describe('benchmark options form', () => {
  it('turns the defaults into options the protocol accepts: 20 runs, 1 warm-up, per-node on, threads left to the engine', () => {
    const result = toBenchmarkOptions(DEFAULT_FORM, {});
    expect(result).toEqual({ ok: true, options: { runs: 20, warmupRuns: 1, perNode: true } });
    if (result.ok) expect(benchmarkOptions(result.options, 'options')).toEqual(result.options);
  });

  it('passes threads, runs, warm-up and the analysis input dims', () => {
    const dims = { x: [4, 3, 'h', 192] };
    const result = toBenchmarkOptions({ threads: ' 4 ', runs: '50', warmupRuns: '0', perNode: false }, dims);
    expect(result).toEqual({ ok: true, options: { intraOpThreads: 4, runs: 50, warmupRuns: 0, perNode: false, inputDims: dims } });
  });

  it('gives the inputs named in files their values from those files', () => {
    const result = toBenchmarkOptions(DEFAULT_FORM, { input: [1, 512] }, { sr: '/data/sr.json' });
    expect(result).toEqual({ ok: true, options: { runs: 20, warmupRuns: 1, perNode: true, inputDims: { input: [1, 512] }, inputFiles: { sr: '/data/sr.json' } } });
    if (result.ok) expect(benchmarkOptions(result.options, 'options')).toEqual(result.options);
  });

  it.each([
    ['threads', 'abc'],
    ['threads', '0'],
    ['threads', '1.5'],
    ['runs', ''],
    ['runs', '0'],
    ['runs', '-3'],
    ['runs', '100001'],
    ['warmupRuns', '1e3'],
  ] as const)('rejects %s = %j with a sentence naming the field', (field, text) => {
    const result = toBenchmarkOptions({ ...DEFAULT_FORM, [field]: text }, {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors)).toEqual([field]);
      expect(result.errors[field]).toMatch(/^(Threads|Runs|Warm-up runs) must be/);
    }
  });

  it('reports every bad field at once', () => {
    const result = toBenchmarkOptions({ threads: 'x', runs: 'y', warmupRuns: 'z', perNode: true }, {});
    expect(result.ok ? [] : Object.keys(result.errors)).toEqual(['threads', 'runs', 'warmupRuns']);
  });

  it('describes the inputs the run will use', () => {
    expect(inputSummary([{ name: 'x', dtype: 'float32', shape: [1, 3, 'h', null] }, { name: 'y', dtype: 'int64' }, { name: 'sr', dtype: 'int64', shape: [] }])).toBe('x: 1×3×h×?, y: ?, sr: scalar');
  });

  it('shows progress as a clamped whole percentage', () => {
    expect(percent({ stage: 'runs', fraction: 0.456, message: '' })).toBe(46);
    expect(percent({ stage: 'runs', fraction: 1.2, message: '' })).toBe(100);
    expect(percent({ stage: 'runs', fraction: -1, message: '' })).toBe(0);
  });
});
