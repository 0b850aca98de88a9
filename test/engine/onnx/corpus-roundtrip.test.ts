import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../../engine/core/onnx/index.js';
import { corpusPath, loadCorpus, makeFeeds } from '../../support/corpus.js';
import { bitDifference, runBytes } from '../../support/ort.js';
import { protoDifference } from '../../support/proto-equal.js';

// The real models decode, re-encode to a model that decodes equal, and run in onnxruntime with
// outputs bit-identical to the original file's, on the inputs models.json pins.

const corpus = loadCorpus();

describe('corpus models: codec round trip', () => {
  it.each(corpus.map((m) => [m.id, m] as const))('%s: re-encoded model decodes equal and runs bit-identically', async (_id, m) => {
    const bytes = readFileSync(corpusPath(m));
    const model = decodeModel(bytes);
    const reencoded = encodeModel(model);
    expect(protoDifference(model, decodeModel(reencoded))).toBeUndefined();
    expect(m.run.length).toBeGreaterThan(0);

    for (const [i, specs] of m.run.entries()) {
      const feeds = makeFeeds(specs, 1000 + i);
      const original = await runBytes(bytes, feeds);
      const again = await runBytes(reencoded, feeds);
      if ('error' in original) throw new Error(`run ${i}: the original model does not run: ${original.error}`);
      if ('error' in again) throw new Error(`run ${i}: the re-encoded model does not run: ${again.error}`);
      expect(Object.keys(again.outputs)).toEqual(m.expect.outputs.map((o) => o.name));
      for (const o of m.expect.outputs) {
        const a = original.outputs[o.name]!;
        expect(a.size, `run ${i}: ${o.name} is empty`).toBeGreaterThan(0);
        // The pinned inputs must be sensible: a NaN output would make "identical" mean little.
        if (a.type === 'float32') expect((a.data as Float32Array).every(Number.isFinite), `run ${i}: ${o.name} has non-finite values`).toBe(true);
        expect(bitDifference(a, again.outputs[o.name]!), `run ${i}: output ${o.name}`).toBeUndefined();
      }
    }
  });
});
