import { readdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptimizeArgs } from '../../cli/optimize.js';
import type { OptimizeReport } from '../../engine/protocol/index.js';
import { UsageError } from '../../cli/usage.js';
import { PROJECT_ROOT } from '../support/corpus.js';
import { sampleCopy } from '../support/sample-copy.js';
import { expectOneLine, whittle } from '../support/whittle-cli.js';

const SAMPLE = resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx');

describe('whittle optimize arguments', () => {
  it('maps every flag to an option', () => {
    expect(parseOptimizeArgs([SAMPLE, '-o', 'out.onnx', '--passes', 'eliminate, fold-batchnorm', '--input', 'x=1x3x48x192', '--input', 'sr=sr.json', '--device', 'rpi5', '--bench', '--threads', '2', '--runs', '9', '--workspace', 'ws', '--all-changes', '--json'])).toEqual({
      model: SAMPLE,
      json: true,
      allChanges: true,
      options: {
        passes: ['eliminate', 'fold-batchnorm'],
        inputDims: { x: [1, 3, 48, 192] },
        inputFiles: { sr: 'sr.json' },
        deviceId: 'rpi5',
        apply: true,
        output: 'out.onnx',
        workspaceDir: 'ws',
        bench: { intraOpThreads: 2, runs: 9, inputDims: { x: [1, 3, 48, 192] }, inputFiles: { sr: 'sr.json' } },
      },
    });
    expect(parseOptimizeArgs([SAMPLE, '--dry-run']).options).toMatchObject({ apply: false, passes: undefined, bench: undefined });
  });

  it.each([
    [[], /exactly one MODEL/],
    [[SAMPLE, '--passes', 'fold-everything'], /Unknown pass "fold-everything" \(passes: eliminate, fold-constants, /],
    [[SAMPLE, '--passes', ','], /names no pass/],
    [[SAMPLE, '--dry-run', '-o', 'x.onnx'], /--dry-run writes and measures nothing/],
    [[SAMPLE, '--runs', '5'], /go with --bench/],
    [[SAMPLE, '--bench', '--runs', '0'], /--runs must be a whole number of at least 1/],
  ])('refuses %j', (args, message) => {
    expect(() => parseOptimizeArgs(args as string[])).toThrow(UsageError);
    expect(() => parseOptimizeArgs(args as string[])).toThrow(message);
  });
});

describe('whittle optimize', () => {
  it('prints what changed and the figures before and after, and records the variant', async () => {
    const model = sampleCopy();
    const run = await whittle('optimize', model, '--input', 'x=1x3x48x100', '--device', 'rpi5');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('fold-batchnorm: 35 folded');
    expect(run.stdout).toMatch(/p2o\.BatchNormalization\.0 folded into p2o\.Conv\.0: /);
    expect(run.stdout).toContain('… 23 more (--all-changes, or --json)');
    expect(run.stdout).toMatch(/nodes \(Constants aside\) +221 +179 +−19\.0%/);
    // The classifier's one shape chain folds at the pinned dims: the variant is for those dims.
    expect(run.stdout).toContain('The result runs at the input dims it was made for only (x 1×3×48×100): 1 constant fold used the shapes they give.');
    expect(run.stdout).toMatch(/Outputs: worst error \d\.\d\de-\d+ × max \|output\| on x 1×3×48×100 \(seeded random\) — within 0\.0001/);
    expect(run.stdout).toContain(`Recorded as variant v1 in ${dirname(model)}/ppocr-cls.whittle`);
    expect(await readdir(resolve(dirname(model), 'ppocr-cls.whittle', 'variants'))).toEqual(['v1-optimize.onnx']);
  });

  it('prints the report as JSON, and writes nothing on a dry run', async () => {
    const model = sampleCopy();
    const run = await whittle('optimize', model, '--input', 'x=1x3x48x100', '--device', 'rpi5', '--dry-run', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as OptimizeReport;
    expect(report).toMatchObject({ variant: null, output: null, deviceId: 'rpi5', fidelity: { checked: false } });
    expect(report.changes.length).toBe(37);
    expect(await readdir(dirname(model))).toEqual(['ppocr-cls.onnx']);
  });

  it('exits 2 on wrong usage, with one line', async () => {
    const run = await whittle('optimize', SAMPLE, '--passes', 'nope');
    expect(run.code).toBe(2);
    expectOneLine(run.stderr);
  });
});
