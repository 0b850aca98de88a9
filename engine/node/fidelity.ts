import * as ort from 'onnxruntime-node';
import type { OutputAgreement } from '../protocol/optimize.js';

const QUIET: ort.InferenceSession.SessionOptions = { logSeverityLevel: 4 };

async function outputsOf(path: string, feeds: Record<string, ort.Tensor>, which: string): Promise<ort.InferenceSession.ReturnType> {
  let session: ort.InferenceSession | undefined;
  try {
    session = await ort.InferenceSession.create(path, QUIET);
    return await session.run(feeds);
  } catch (err) {
    throw new Error(`onnxruntime could not run ${which}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  } finally {
    await session?.release();
  }
}

/** One output of a variant (`got`) against the original's (`want`): the largest error and the original's scale. Throws when the variant lacks it or its shape differs. */
export function outputAgreement(output: string, want: ort.Tensor, got: ort.Tensor | undefined): OutputAgreement {
  if (got === undefined) throw new Error(`the variant has no output "${output}"`);
  if (got.dims.join('×') !== want.dims.join('×')) throw new Error(`output "${output}" is ${got.dims.join('×')} in the variant, ${want.dims.join('×')} in the original`);
  const a = want.data as ArrayLike<number | bigint>;
  const b = got.data as ArrayLike<number | bigint>;
  let maxAbsError = 0;
  let maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      // NaN where the original has NaN agrees; anywhere else it is as wrong as can be.
      if (Number.isNaN(x) !== Number.isNaN(y)) maxAbsError = Number.MAX_VALUE;
      continue;
    }
    maxAbs = Math.max(maxAbs, Math.abs(x));
    maxAbsError = Math.max(maxAbsError, x === y ? 0 : Math.abs(x - y));
  }
  return { output, maxAbsError, maxAbs };
}

/**
 * Runs the original and the variant (files, so external data resolves beside each) on the same
 * feeds and compares every output of the original by name.
 */
export async function compareOutputs(originalPath: string, variantPath: string, feeds: Record<string, ort.Tensor>): Promise<OutputAgreement[]> {
  const want = await outputsOf(originalPath, feeds, 'the original model');
  const got = await outputsOf(variantPath, feeds, 'the variant');
  return Object.entries(want).map(([name, tensor]) => outputAgreement(name, tensor, got[name]));
}

/** The largest error relative to its output's scale (0 when every output agrees exactly; finite, so it can be recorded). */
export function worstRelativeError(outputs: readonly OutputAgreement[]): number {
  const relative = (o: OutputAgreement): number => (o.maxAbsError === 0 ? 0 : Math.min(Number.MAX_VALUE, o.maxAbsError / Math.max(o.maxAbs, Number.MIN_VALUE)));
  return Math.max(0, ...outputs.map(relative));
}
