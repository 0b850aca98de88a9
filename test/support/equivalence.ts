import { encodeModel, type ModelProto } from '../../engine/core/onnx/index.js';
import { outputAgreement } from '../../engine/node/fidelity.js';
import type { OutputAgreement } from '../../engine/protocol/index.js';
import { runBytes, type ort } from './ort.js';

async function outputsOf(model: ModelProto, feeds: Record<string, ort.Tensor>, which: string): Promise<ort.InferenceSession.ReturnType> {
  const run = await runBytes(encodeModel(model), feeds);
  if ('error' in run) throw new Error(`${which} does not run in onnxruntime: ${run.error}`);
  return run.outputs;
}

/** Runs both models in onnxruntime on the same feeds and compares every output of the parent by name. */
export async function outputDifferences(parent: ModelProto, variant: ModelProto, feeds: Record<string, ort.Tensor>): Promise<OutputAgreement[]> {
  const want = await outputsOf(parent, feeds, 'the parent');
  const got = await outputsOf(variant, feeds, 'the variant');
  return Object.entries(want).map(([output, w]) => outputAgreement(output, w, got[output]));
}

/**
 * The outputs that differ by more than `relative` × max |parent output| (the bar is
 * 1e-4; pass 0 where the rewrite is exact), as readable lines; empty when all agree.
 */
export async function outputMismatches(parent: ModelProto, variant: ModelProto, feeds: Record<string, ort.Tensor>, relative = 1e-4): Promise<string[]> {
  const diffs = await outputDifferences(parent, variant, feeds);
  return diffs.filter((d) => d.maxAbsError > relative * d.maxAbs).map((d) => `${d.output}: max abs error ${d.maxAbsError} > ${relative} × ${d.maxAbs}`);
}
