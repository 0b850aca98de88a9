import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataType, encodeModel } from '../../../engine/core/onnx/index.js';
import { readDeferred, readStructure } from '../../../engine/node/deferred-weights.js';
import { openModelFile, type OpenedModel } from '../../../engine/node/model-file.js';
import { attr, graph, leBytes, model, node, tensor, valueInfo } from '../../support/build.js';
import { corpusPath, loadCorpus } from '../../support/corpus.js';
import { protoDifference } from '../../support/proto-equal.js';
import { conformanceCases, requireTestdata } from '../../support/testdata.js';

// A large model is decoded before its large raw_data payloads are read (deferred-weights.ts).
// The truth: the same file opened by a plain whole-file read. The two
// must be the same model once its weights are loaded; where one refuses a file, the other must
// refuse it with the same words.

const dir = mkdtempSync(join(tmpdir(), 'whittle-deferred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { model: OpenedModel['model'] } | { error: string };

async function outcome(path: string, deferWeightsFrom: number): Promise<Outcome> {
  try {
    const opened = await openModelFile(path, { deferWeightsFrom });
    await opened.loadWeights();
    return { model: opened.model };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** '' when both ways agree, else what differs. */
async function disagreement(path: string): Promise<string> {
  const [whole, deferred] = await Promise.all([outcome(path, Infinity), outcome(path, 0)]);
  if ('error' in whole || 'error' in deferred) return 'error' in whole && 'error' in deferred && whole.error === deferred.error ? '' : `${JSON.stringify(whole).slice(0, 200)} vs ${JSON.stringify(deferred).slice(0, 200)}`;
  return protoDifference(whole.model, deferred.model) ?? '';
}

/** Weights as initializers and in a Constant node, large and small, in the main graph and an If branch. */
function weighty(): Uint8Array {
  const big = (name: string, n: number, seed: number) => tensor({ name, dataType: DataType.FLOAT, dims: [n], rawData: leBytes(Float32Array.from({ length: n }, (_, i) => Math.sin(i * seed))) });
  const branch = graph({ name: 'then', node: [node('Constant', [], ['k'], [attr.tensor('value', big('', 70_000, 3))])], output: [valueInfo('k', DataType.FLOAT, [70_000])] });
  return encodeModel(
    model(
      graph({
        input: [valueInfo('x', DataType.FLOAT, [100_000]), valueInfo('c', DataType.BOOL, [])],
        output: [valueInfo('y', DataType.FLOAT, [100_000]), valueInfo('z', DataType.FLOAT)],
        initializer: [big('w', 100_000, 1), big('small', 10, 2)],
        node: [node('Constant', [], ['b'], [attr.tensor('value', big('', 100_000, 5))]), node('Add', ['x', 'w'], ['s']), node('Add', ['s', 'b'], ['y']), node('If', ['c'], ['z'], [attr.graph('then_branch', branch), attr.graph('else_branch', branch)])],
      }),
    ),
  );
}

describe('opening a model before its weights are read', () => {
  it('gives the same model as a whole-file read, with weights in initializers, Constant nodes and If branches', async () => {
    const path = join(dir, 'weighty.onnx');
    writeFileSync(path, weighty());
    expect(await disagreement(path)).toBe('');
    const opened = await openModelFile(path, { deferWeightsFrom: 0 });
    await opened.loadWeights();
    const w = opened.model.graph!.initializer[0]!;
    expect(new Float32Array(new Uint8Array(w.rawData!).buffer, 0, 3)).toEqual(Float32Array.from([0, Math.sin(1), Math.sin(2)]));
  });

  it('leaves the large payloads for later, in file order: the Constant node, both branches’ Constants, the initializer', async () => {
    const path = join(dir, 'weighty-parts.onnx');
    const bytes = weighty();
    writeFileSync(path, bytes);
    const handle = await open(path);
    try {
      const partly = readStructure(handle, bytes.length);
      // Each payload less what the 64 KiB read-ahead had already read of it.
      const payloads = [400_000, 280_000, 280_000, 400_000];
      expect(partly.deferred).toHaveLength(4);
      partly.deferred.forEach((r, i) => expect(payloads[i]! - r.length).toBeLessThanOrEqual(64 * 1024));
      const first = partly.deferred[0]!;
      expect(partly.bytes.subarray(first.offset, first.offset + first.length).every((b) => b === 0)).toBe(true);
      await readDeferred(handle, partly);
      expect(Buffer.compare(Buffer.from(partly.bytes), Buffer.from(bytes))).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it('agrees on every corpus model', async () => {
    const failures: string[] = [];
    for (const m of loadCorpus()) {
      const diff = await disagreement(corpusPath(m));
      if (diff !== '') failures.push(`${m.id}: ${diff}`);
    }
    expect(failures).toEqual([]);
  });

  it('agrees on every model of the ONNX conformance data', async (ctx) => {
    const root = requireTestdata(ctx);
    const failures: string[] = [];
    const cases = [...conformanceCases(root, 'node'), ...conformanceCases(root, 'pytorch-converted'), ...conformanceCases(root, 'simple')];
    for (const c of cases) {
      const diff = await disagreement(c.modelPath);
      if (diff !== '') failures.push(`${c.name}: ${diff}`);
    }
    expect(cases.length).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  });

  it('refuses broken files in the same words: cut anywhere, or with bytes changed', async () => {
    const bytes = weighty();
    const failures: string[] = [];
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 60; i++) {
      const broken = new Uint8Array(i < 30 ? bytes.subarray(0, next() % bytes.length) : bytes);
      if (i >= 30) for (let k = 0; k < 4; k++) broken[next() % broken.length] = next() & 0xff;
      const path = join(dir, `broken-${i}.onnx`);
      writeFileSync(path, broken);
      const diff = await disagreement(path);
      if (diff !== '') failures.push(`case ${i}: ${diff}`);
    }
    expect(failures).toEqual([]);
  });
});
