import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cloneProto } from '../../../engine/core/graph/index.js';
import { dataTypeName, decodeModel, encodeModel, type ModelProto } from '../../../engine/core/onnx/index.js';
import { formatShape, inferShapes, type ShapeInference } from '../../../engine/core/shape/index.js';
import { valueInfo } from '../../support/build.js';
import { corpusPath, loadCorpus, makeFeeds } from '../../support/corpus.js';
import { runBytes } from '../../support/ort.js';

// Truth for shape inference on real models: every intermediate tensor of the main graph is made a
// graph output, the model runs in onnxruntime on inputs of the pinned dims, and each tensor's
// real dtype and dims must equal what Whittle inferred. (Values inside If/Loop bodies cannot be
// fetched this way; they are checked through the outputs of the node that owns the body.)

const corpus = loadCorpus();

/** The model with every node output of the main graph added as a graph output, typed by dtype only. */
function exposeIntermediates(model: ModelProto, inferred: ShapeInference): { exposed: ModelProto; names: string[] } {
  const exposed = cloneProto(model);
  const graph = exposed.graph!;
  const already = new Set(graph.output.map((o) => o.name));
  const names: string[] = [];
  for (const node of graph.node) {
    for (const name of node.output) {
      if (name === '' || already.has(name)) continue;
      const t = inferred.typeOf(name);
      // Without a dtype onnxruntime cannot declare the output; such a value counts as unknown below.
      if (t?.kind !== 'tensor' || t.dtype === 0) continue;
      graph.output.push(valueInfo(name, t.dtype));
      names.push(name);
    }
  }
  return { exposed, names };
}

describe('shape inference against onnxruntime on the corpus', () => {
  it.each(corpus.map((m) => [m.id, m] as const))('%s: every intermediate tensor has the inferred shape', async (_id, m) => {
    const model = decodeModel(readFileSync(corpusPath(m)));
    for (const [i, specs] of m.run.entries()) {
      const inputDims = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.shape]));
      const inferred = inferShapes(model, { inputDims });
      const { exposed, names } = exposeIntermediates(model, inferred);
      const result = await runBytes(encodeModel(exposed), makeFeeds(specs, 1000 + i));
      if ('error' in result) throw new Error(`run ${i}: the model with exposed intermediates does not run: ${result.error}`);
      const mismatches: string[] = [];
      const allValues = model.graph!.node.flatMap((n) => n.output).filter((o) => o !== '');
      for (const name of allValues) {
        const real = result.outputs[name];
        const t = inferred.typeOf(name);
        const got = t?.kind === 'tensor' ? `${dataTypeName(t.dtype)}[${formatShape(t.shape)}]` : String(t?.kind ?? 'unknown');
        if (real === undefined) {
          mismatches.push(`${name}: inferred ${got}, not checkable (no dtype)`);
          continue;
        }
        // onnxruntime-node names element types as Whittle does (float32, int64, bool…).
        const want = `${real.type}[${formatShape(real.dims)}]`;
        if (got !== want) mismatches.push(`${name}: inferred ${got}, onnxruntime ${want}`);
      }
      const rate = `${allValues.length - mismatches.length} of ${allValues.length}`;
      console.info(`${m.id} run ${i}: ${rate} intermediate shapes match onnxruntime (${names.length} fetched)`);
      expect(mismatches, `${m.id} run ${i}: ${rate} match`).toEqual([]);
    }
  });
});
