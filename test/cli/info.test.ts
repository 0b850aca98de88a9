import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/corpus.js';
import { expectOneLine, whittle } from '../support/whittle-cli.js';

// `whittle info` as users run it: a child process, its exit code, stdout and stderr.

const SAMPLE = resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx');
const tmp = mkdtempSync(join(tmpdir(), 'whittle-cli-info-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('whittle info', () => {
  it('prints a readable summary of the sample model', async () => {
    const { code, stdout, stderr } = await whittle('info', SAMPLE);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
    expect(lines[0]).toBe(`${SAMPLE} (565.4 KiB)`);
    for (const line of [
      'IR version 8',
      'Opsets ai.onnx 9',
      'Producer unknown',
      'Graph Model from PaddlePaddle.',
      'Nodes 471',
      'Parameters 134 K (133,665)',
      'Weight bytes 522.1 KiB (534,660)',
      'x float32 [p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1, p2o.DynamicDimension.2]',
      'softmax_0.tmp_0 float32 [p2o.DynamicDimension.3, 2]',
      'Conv 53',
      'BatchNormalization 35',
    ]) {
      expect(lines, line).toContain(line);
    }
    expect(stdout).toMatch(/Findings\n {2}none/);
    expect(stdout).toMatch(/External data\n {2}none/);
  });

  it('prints one JSON object with --json', async () => {
    const { code, stdout, stderr } = await whittle('info', SAMPLE, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as Record<string, unknown>;
    for (const key of ['irVersion', 'opsets', 'producer', 'inputs', 'outputs', 'nodeCount', 'opTypes', 'params', 'weightBytes', 'externalData', 'findings']) {
      expect(info, key).toHaveProperty(key);
    }
    expect(info).toMatchObject({
      file: SAMPLE,
      fileBytes: 578966,
      irVersion: 8,
      opsets: { 'ai.onnx': 9 },
      producer: { name: '', version: '' },
      inputs: [{ name: 'x', dtype: 'float32', shape: ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'] }],
      outputs: [{ name: 'softmax_0.tmp_0', dtype: 'float32', shape: ['p2o.DynamicDimension.3', 2] }],
      nodeCount: 471,
      params: 133665,
      weightBytes: 534660,
      externalData: [],
      findings: [],
    });
    expect(info.opTypes).toMatchObject({ Constant: 250, Conv: 53, BatchNormalization: 35 });
    expect(Object.values(info.opTypes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(471);
  });

  it('refuses random bytes: exit 1, one line naming the file', async () => {
    let seed = 7;
    const bytes = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const path = join(tmp, 'noise.onnx');
    writeFileSync(path, bytes);
    const { code, stdout, stderr } = await whittle('info', path);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expectOneLine(stderr);
    expect(stderr).toMatch(/^whittle info: noise\.onnx: /);
  });

  it('refuses a missing file: exit 1, one line', async () => {
    const path = join(tmp, 'not-there.onnx');
    const { code, stdout, stderr } = await whittle('info', path);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expectOneLine(stderr);
    expect(stderr).toBe(`whittle info: ${path}: no such file\n`);
  });

  it.each([
    ['no model', ['info']],
    ['two models', ['info', SAMPLE, SAMPLE]],
    ['an unknown option', ['info', SAMPLE, '--frobnicate']],
    ['an unknown command', ['inf', SAMPLE]],
  ])('bad usage (%s): exit 2, one line', async (_label, args) => {
    const { code, stdout, stderr } = await whittle(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expectOneLine(stderr);
    expect(stderr).toMatch(/^whittle/);
  });
});
