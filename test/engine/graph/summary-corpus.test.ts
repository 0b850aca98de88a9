import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelInfo } from '../../../cli/info.js';
import { corpusPath, loadCorpus, type ValueExpectation } from '../../support/corpus.js';
import { ort, SESSION_OPTIONS } from '../../support/ort.js';
import { rawCounts } from '../../support/raw-onnx.js';

// Each corpus model's summary (what `whittle info` prints) against test/fixtures/models.json,
// and against two independent readings of the same file: onnxruntime's session metadata and a
// minimal wire-format walker that shares no code with the codec.

const corpus = loadCorpus();

/** onnxruntime's view of a graph input or output, in the summary's terms ("" is an unnamed unknown dim). */
function fromOrt(meta: ort.InferenceSession.ValueMetadata): ValueExpectation {
  if (!meta.isTensor) return { name: meta.name, dtype: 'non-tensor' };
  return { name: meta.name, dtype: meta.type, shape: meta.shape.map((d) => (d === '' ? null : d)) };
}

describe('corpus models: summary', () => {
  it('lists every model once, with a unique id', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(9);
    expect(new Set(corpus.map((m) => m.id)).size).toBe(corpus.length);
  });

  it.each(corpus.map((m) => [m.id, m] as const))('%s: whittle info shows what models.json says', async (_id, m) => {
    const path = corpusPath(m);
    const bytes = readFileSync(path);
    expect(createHash('sha256').update(bytes).digest('hex'), `${m.path} is not the file models.json describes; re-derive its expectations`).toBe(m.sha256);

    const info = await modelInfo(path);
    const want = m.expect;
    expect(info.fileBytes).toBe(statSync(path).size);
    expect(info.irVersion).toBe(want.irVersion);
    expect({ ...info.opsets }).toEqual(want.opsets);
    expect(info.producer).toEqual(want.producer);
    expect(info.inputs).toEqual(want.inputs);
    expect(info.outputs).toEqual(want.outputs);
    expect(info.nodeCount).toBe(want.nodeCount);
    expect(info.subgraphCount).toBe(want.subgraphCount);
    for (const [op, count] of Object.entries(want.opTypes)) expect(info.opTypes[op], `count of ${op}`).toBe(count);
    expect(info.params).toBe(want.params);
    expect(info.weightBytes).toBe(want.weightBytes);
    expect(info.externalData).toEqual([]);
    expect(info.findings.map((f) => f.code)).toEqual(want.findings);
  });

  it.each(corpus.map((m) => [m.id, m] as const))('%s: counts agree with an independent wire-format walk', async (_id, m) => {
    const path = corpusPath(m);
    const raw = rawCounts(readFileSync(path));
    const info = await modelInfo(path);
    expect(info.irVersion).toBe(raw.irVersion);
    expect({ ...info.opsets }).toEqual(raw.opsets);
    expect(info.nodeCount).toBe(raw.nodeCount);
    expect(info.subgraphCount).toBe(raw.subgraphCount);
    expect({ ...info.opTypes }).toEqual(raw.opTypes);
    expect(info.params).toBe(raw.params);
    expect(info.weightBytes).toBe(raw.weightBytes);
    expect(info.inputs.map((v) => v.name)).toEqual(raw.inputs);
    expect(info.outputs.map((v) => v.name)).toEqual(raw.outputs);
  });

  it.each(corpus.map((m) => [m.id, m] as const))('%s: inputs and outputs agree with onnxruntime', async (_id, m) => {
    const path = corpusPath(m);
    const session = await ort.InferenceSession.create(path, SESSION_OPTIONS);
    try {
      const info = await modelInfo(path);
      expect(session.inputNames).toEqual(info.inputs.map((v) => v.name));
      expect(session.outputNames).toEqual(info.outputs.map((v) => v.name));
      expect(session.inputMetadata.map(fromOrt)).toEqual(info.inputs);
      expect(session.outputMetadata.map(fromOrt)).toEqual(info.outputs);
    } finally {
      await session.release();
    }
  });
});
