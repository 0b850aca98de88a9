import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, parseFill } from '../../cli/bench.js';
import { UsageError } from '../../cli/usage.js';
import { PROJECT_ROOT } from '../support/corpus.js';
import { expectOneLine, whittle } from '../support/whittle-cli.js';

const SAMPLE = resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx');

describe('whittle bench arguments', () => {
  it('maps every flag to a benchmark option', () => {
    const command = parseBenchArgs([
      SAMPLE, '--input', 'x=2x3x48x100', '--input', 'h=state.npy', '--input', 'sr=sr.json', '--threads', '2', '--inter-op', '1',
      '--runs', '30', '--time', '1.5', '--warmup', '3', '--per-node', '--ep', 'cpu', '--opt', 'basic', '--fill', 'random:-1,1',
      '--seed', '7', '--batch', '1,2, 8', '--top', '5', '--json',
    ]);
    expect(command).toEqual({
      model: SAMPLE,
      json: true,
      top: 5,
      workspace: resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.whittle'),
      options: {
        intraOpThreads: 2, interOpThreads: 1, runs: 30, minTimeMs: 1500, warmupRuns: 3, perNode: true, executionProvider: 'cpu',
        optimizationLevel: 'basic', fill: { kind: 'random', low: -1, high: 1 }, seed: 7,
        inputDims: { x: [2, 3, 48, 100] }, inputFiles: { h: 'state.npy', sr: 'sr.json' }, batchSizes: [1, 2, 8],
      },
    });
  });

  it('leaves unset options to the engine and saves nothing with --no-save', () => {
    const command = parseBenchArgs([SAMPLE, '--no-save']);
    expect(command.workspace).toBeNull();
    expect(command.top).toBe(15);
    expect(command.options).toMatchObject({ intraOpThreads: undefined, runs: undefined, fill: undefined, perNode: false, inputFiles: {} });
  });

  it('refuses what it cannot mean, saying what it takes', () => {
    const bad: [string[], RegExp][] = [
      [[], /exactly one MODEL/],
      [[SAMPLE, '--threads', '0'], /--threads must be a whole number of at least 1/],
      [[SAMPLE, '--runs', '2.5'], /--runs must be a whole number/],
      [[SAMPLE, '--time', '0'], /--time takes seconds above 0/],
      [[SAMPLE, '--ep', 'tpu'], /--ep must be one of cpu, cuda, tensorrt, webgpu, dml, coreml/],
      [[SAMPLE, '--opt', 'max'], /--opt must be one of disabled, basic, extended, layout, all/],
      [[SAMPLE, '--batch', '1,0'], /--batch must be a whole number of at least 1/],
      [[SAMPLE, '--input', 'x=1x3xfoo bar'], /neither a size nor a dim name/],
      [[SAMPLE, '--workspace', '/tmp/w', '--no-save'], /--workspace or --no-save/],
    ];
    for (const [args, message] of bad) expect(() => parseBenchArgs(args), args.join(' ')).toThrow(message);
    expect(() => parseBenchArgs([SAMPLE, '--threads', '0'])).toThrow(UsageError);
  });

  it('reads fills', () => {
    expect(parseFill('zeros')).toEqual({ kind: 'zeros' });
    expect(parseFill('random')).toEqual({ kind: 'random', low: 0, high: 1 });
    expect(parseFill('random:-0.5,2e1')).toEqual({ kind: 'random', low: -0.5, high: 20 });
    for (const text of ['random:1,1', 'random:2,1', 'ones', 'random:a,b', 'random:1']) expect(() => parseFill(text), text).toThrow(/--fill takes/);
  });
});

describe('whittle bench', () => {
  it('--json prints the result the issue names and saves it in the workspace', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'whittle-bench-cli-'));
    try {
      const { code, stdout, stderr } = await whittle('bench', SAMPLE, '--input', 'x=1x3x48x192', '--runs', '8', '--threads', '1', '--workspace', workspace, '--json');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const result = JSON.parse(stdout) as Record<string, unknown>;
      for (const key of ['environment', 'options', 'latencyMs', 'cv', 'throughput', 'sessionMs', 'firstRunMs', 'peakRssBytes', 'coverage', 'nodes']) expect(result, key).toHaveProperty(key);
      expect(Object.keys(result.latencyMs as object).sort()).toEqual(['max', 'mean', 'min', 'p50', 'p90', 'p99', 'stdev']);
      expect(result.samplesMs).toHaveLength(8);
      const saved = await readdir(join(workspace, 'benchmarks'));
      expect(saved).toHaveLength(1);
      expect(JSON.parse(await readFile(join(workspace, 'benchmarks', saved[0]!), 'utf8'))).toEqual(result);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });

  it('prints a summary with the latency table', async () => {
    const { code, stdout } = await whittle('bench', SAMPLE, '--input', 'x=1x3x48x192', '--runs', '5', '--threads', '1', '--no-save');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ppocr-cls\.onnx — onnxruntime 1\.30\.\d+, cpu, 1 thread, optimization all$/m);
    expect(stdout).toMatch(/^Latency over 5 runs after 2 untimed \(ms\)$/m);
    expect(stdout).toMatch(/^\s+median\s+mean\s+p90\s+p99\s+min\s+max\s+stdev\s+cv$/m);
    expect(stdout).toMatch(/x\s+float32\s+1×3×48×192\s+random \[0, 1\) seed 0/);
    expect(stdout).not.toMatch(/Saved to/);
  });

  it('says which dims to pin when the model has symbolic ones, in one line with exit 2', async () => {
    const { code, stderr } = await whittle('bench', SAMPLE, '--runs', '1', '--no-save');
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toMatch(/--input x=/);
  });

  it('takes a real value from a file where random ones cannot run, and says so when they cannot', async () => {
    const silero = resolve(PROJECT_ROOT, 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx');
    const dims = ['--input', 'input=1x512', '--input', 'state=2x1x128', '--runs', '3', '--no-save'];
    const refused = await whittle('bench', silero, ...dims);
    expect(refused.code).toBe(1);
    expectOneLine(refused.stderr);
    expect(refused.stderr).toMatch(/could not run silero_vad_v5\.onnx on .*sr int64 scalar \(random\).*--input NAME=FILE\.json/);
    const dir = await mkdtemp(join(tmpdir(), 'whittle-bench-sr-'));
    try {
      await writeFile(join(dir, 'sr.json'), '16000');
      const { code, stdout } = await whittle('bench', silero, ...dims, '--input', `sr=${join(dir, 'sr.json')}`, '--json');
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { inputs: unknown[] }).inputs).toContainEqual({ name: 'sr', dtype: 'int64', dims: [], source: join(dir, 'sr.json') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on wrong usage', async () => {
    const { code, stderr } = await whittle('bench', SAMPLE, '--runs', 'many');
    expect(code).toBe(2);
    expectOneLine(stderr);
  });
});
