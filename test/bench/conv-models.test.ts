import { describe, expect, it } from 'vitest';
import { Rng } from '../../bench/models/builder.js';
import { MOBILENET_V2, mobilenetV2 } from '../../bench/models/mobilenet.js';
import { REPVGG_A0, repvgg } from '../../bench/models/repvgg.js';
import { encodeModel, type ModelProto } from '../../engine/core/onnx/index.js';
import { ort, runBytes } from '../support/ort.js';

const count = (m: ModelProto, op: string): number => m.graph!.node.filter((n) => n.opType === op).length;

/** Runs the model in onnxruntime on a seeded 1×3×size×size input; returns the output's dims and whether it is finite and not constant. */
async function run(m: ModelProto, size: number): Promise<{ dims: readonly number[]; finite: boolean; varied: boolean }> {
  const input = new ort.Tensor('float32', new Rng(1).fill(new Float32Array(3 * size * size), 1), [1, 3, size, size]);
  const result = await runBytes(encodeModel(m), { input });
  if ('error' in result) throw new Error(result.error);
  const out = result.outputs.output!;
  const data = out.data as Float32Array;
  return { dims: out.dims, finite: data.every(Number.isFinite), varied: data.some((v) => v !== data[0]) };
}

describe('generated CNNs for the optimization benchmark', () => {
  it('builds RepVGG in training form that onnxruntime runs', async () => {
    const m = repvgg({ widths: [8, 8, 16, 16, 32], depths: [1, 2, 2, 2, 1], inputSize: 64, classes: 10, seed: 3 });
    // 8 blocks, the first of each of the 5 stages with stride 2 and no identity branch.
    expect(count(m, 'Conv')).toBe(16);
    expect(count(m, 'BatchNormalization')).toBe(16 + 3);
    expect(await run(m, 64)).toEqual({ dims: [1, 10], finite: true, varied: true });
  });

  it('builds RepVGG-A0 at full size: 22 blocks, 17 with an identity branch', () => {
    const m = repvgg(REPVGG_A0);
    expect(count(m, 'Conv')).toBe(44);
    expect(count(m, 'BatchNormalization')).toBe(44 + 17);
    expect(m.graph!.initializer.find((t) => t.name === 'stage4.0.rbr_dense.conv.weight')?.dims).toEqual([1280, 192, 3, 3]);
  });

  it('builds MobileNetV2 with unfolded BatchNormalization that onnxruntime runs', async () => {
    const small = mobilenetV2({ width: 0.25, inputSize: 32, classes: 10, seed: 4 });
    expect(await run(small, 32)).toEqual({ dims: [1, 10], finite: true, varied: true });
    const full = mobilenetV2(MOBILENET_V2);
    // torchvision's mobilenet_v2 has 52 convolutions (17 depthwise), each followed by BatchNormalization, and 10 residual Adds.
    expect(count(full, 'Conv')).toBe(52);
    expect(count(full, 'BatchNormalization')).toBe(52);
    expect(full.graph!.node.filter((n) => n.opType === 'Conv' && n.attribute.some((a) => a.name === 'group' && a.i !== 1n))).toHaveLength(17);
    expect(count(full, 'Add')).toBe(10);
  });
});
