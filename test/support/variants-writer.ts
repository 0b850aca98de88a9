/**
 * Changes a workspace's variants without end, for the kill-safety test to SIGKILL at random
 * moments: adds variants (of the original or of a variant, some with external data), records
 * results, and removes leaves to keep the workspace small (unless told to keep them). Prints
 * `ready` once loaded and `added vN` after each addition.
 *
 * Usage: node --import tsx variants-writer.ts WORKSPACE MODEL MODEL_SHA256 SEED [keep]
 */
import { ORIGINAL } from '../../engine/protocol/variants.js';
import { addVariant, readManifest, recordResult, removeVariant } from '../../engine/node/variants.js';
import type { ModelProto } from '../../engine/core/onnx/index.js';
import { leBytes } from './build.js';
import { variantModel } from './variant-model.js';

const [workspace, modelPath, sha256, seedText, keep] = process.argv.slice(2) as [string, string, string, string, string | undefined];
let seed = Number(seedText) * 7919 + 17;
/** Deterministic per seed (MINSTD), different between runs. */
function random(n: number): number {
  seed = (seed * 48271) % 2147483647;
  return seed % n;
}

const WIDTH = 1024; // 4 MiB of weights: each write takes long enough to be killed in the middle
const base = variantModel(0, WIDTH);

/** The base model with its bias set to `i`: made in no time, so the writer spends its time writing. */
function modelFor(i: number): ModelProto {
  const [w, b] = base.graph!.initializer;
  return { ...base, graph: { ...base.graph!, initializer: [w!, { ...b!, rawData: leBytes(new Float32Array(WIDTH).fill(i)) }] } };
}
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const { variants } = await readManifest(workspace);
  const parent = variants.length === 0 || random(3) === 0 ? ORIGINAL : variants[random(variants.length)]!.id;
  const external = random(3) === 0 ? { thresholdBytes: 0, minTensorBytes: 1024 } : undefined;
  const v = await addVariant(workspace, { original: { path: modelPath, sha256 }, parent, transform: { id: random(2) === 0 ? 'prune' : 'quantize', settings: { i, seed } }, model: modelFor(i) }, { externalData: external, lockTimeoutMs: 30_000 });
  process.stdout.write(`added ${v.id}\n`);
  if (random(2) === 0) {
    await recordResult(workspace, v.id, 'benchmark-cpu-1t', { kind: 'benchmark', recordedAt: new Date().toISOString(), figures: { latencyMeanMs: i }, conditions: {}, file: null });
  }
  if (keep === undefined && variants.length >= 6) {
    const leaves = variants.filter((c) => !variants.some((d) => d.parent === c.id) && c.id !== v.id && v.parent !== c.id);
    if (leaves.length > 0) await removeVariant(workspace, leaves[random(leaves.length)]!.id);
  }
}
