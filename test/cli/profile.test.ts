import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDevice } from '../../engine/core/hardware/index.js';
import { PROJECT_ROOT } from '../support/corpus.js';
import { expectOneLine, whittle } from '../support/whittle-cli.js';

const SAMPLE = resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx');
const rpi5 = findDevice('rpi5')!;

interface ProfileNode {
  name: string;
  opType: string;
  inputs: { name: string; dtype: string; shape?: (number | string | null)[] }[];
  outputs: { name: string; dtype: string; shape?: (number | string | null)[] }[];
  macs: number;
  flops: number;
  params: number;
  readBytes: number;
  writeBytes: number;
  intensity: number | null;
  bound: string | null;
  predictedMs: number | null;
  share: number;
  counted: boolean;
}

describe('whittle profile', () => {
  it('--json gives every node in execution order with costs that add up and roofline times by hand', async () => {
    const { code, stdout, stderr } = await whittle('profile', SAMPLE, '--input', 'x=1x3x48x192', '--device', 'rpi5', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { model: { file: string }; device: { id: string }; totals: Record<string, number>; nodes: ProfileNode[]; subgraphNodes: unknown[] };
    expect(out.model.file).toBe(SAMPLE);
    // The sample has no If/Loop/Scan: the list is there, empty.
    expect(out.subgraphNodes).toEqual([]);
    expect(out.device.id).toBe('rpi5');
    expect(out.nodes).toHaveLength(471);
    // Execution order: every input is a graph input, an initializer, or an earlier node's output.
    const nodeOutputs = new Set(out.nodes.flatMap((n) => n.outputs.map((o) => o.name)));
    const produced = new Set<string>();
    for (const n of out.nodes) {
      for (const i of n.inputs) if (nodeOutputs.has(i.name)) expect(produced.has(i.name), `${n.name} reads ${i.name} before it is produced`).toBe(true);
      for (const o of n.outputs) produced.add(o.name);
      expect(n.outputs.every((o) => o.shape?.every((d) => typeof d === 'number'))).toBe(true);
    }
    const sum = (f: (n: ProfileNode) => number): number => out.nodes.reduce((a, n) => a + f(n), 0);
    expect(out.totals.macs).toBe(sum((n) => n.macs));
    expect(out.totals.uncountedNodes).toBe(0);
    expect(sum((n) => n.share)).toBeCloseTo(1, 9);
    // Roofline by hand on the Raspberry Pi 5 figures: time = max(flops / peak, bytes / bandwidth).
    const peak = rpi5.peakOpsPerSec.fp32!.value;
    const bandwidth = rpi5.bandwidthBytesPerSec.value;
    for (const n of out.nodes.filter((m) => m.flops > 0)) {
      const bytes = n.readBytes + n.writeBytes;
      expect(n.predictedMs).toBeCloseTo(Math.max(n.flops / peak, bytes / bandwidth) * 1000, 9);
      expect(n.bound).toBe(n.flops / bytes >= peak / bandwidth ? 'compute' : 'memory');
    }
    // The first conv: 3→8 channels, 3×3, stride 2, on 48×192 → 8×24×96 outputs × 3·3·3 MACs each.
    const first = out.nodes.find((n) => n.opType === 'Conv')!;
    expect(first.inputs[1]!.shape).toEqual([8, 3, 3, 3]);
    expect(first.outputs[0]!.shape).toEqual([1, 8, 24, 96]);
    expect(first.macs).toBe(8 * 24 * 96 * 27);
    // Element-wise adds and depthwise convolutions sit under the ridge on this device.
    const depthwise = out.nodes.filter((n) => n.opType === 'Conv' && n.inputs[1]!.shape![1] === 1);
    expect(depthwise.length).toBeGreaterThan(0);
    expect(depthwise.every((n) => n.bound === 'memory')).toBe(true);
    expect(out.nodes.filter((n) => n.opType === 'Add').every((n) => n.bound === 'memory')).toBe(true);
  });

  it('gives the latency on other devices as profiling for that device would', async () => {
    const args = ['profile', SAMPLE, '--input', 'x=1x3x48x192', '--json'];
    const onPi = JSON.parse((await whittle(...args, '--device', 'rpi5')).stdout) as { latencyByDevice: { id: string; predictedMs: number | null; nodesWithoutFigure: number }[] };
    const onXeon = JSON.parse((await whittle(...args, '--device', 'xeon-platinum-8380')).stdout) as { totals: { predictedMs: number } };
    expect(onPi.latencyByDevice.map((d) => d.id)).not.toContain('rpi5');
    expect(onPi.latencyByDevice.find((d) => d.id === 'xeon-platinum-8380')!.predictedMs).toBeCloseTo(onXeon.totals.predictedMs, 9);
    // An int8-only NPU has no figure for this float32 model: no number rather than a made-up one.
    const hailo = onPi.latencyByDevice.find((d) => d.id === 'hailo-8')!;
    expect(hailo.predictedMs).toBeNull();
    expect(hailo.nodesWithoutFigure).toBeGreaterThan(0);
  });

  it('--csv has a header and one row per node; --top keeps the slowest; text names the device', async () => {
    const csv = await whittle('profile', SAMPLE, '--input', 'x=1x3x48x192', '--device', 'rpi5', '--csv');
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('#,name,op,output shape,MACs,params,bytes,FLOP/B,bound,pred. ms,share');
    expect(rows).toHaveLength(472);
    const text = await whittle('profile', SAMPLE, '--input', 'x=1x3x48x192', '--device', 'rpi5', '--top', '5');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Raspberry Pi 5');
    expect(text.stdout).toContain('The 5 nodes with the most predicted time');
  });

  it('without pinned dims says which to pin; wrong dims and devices are usage errors with one line', async () => {
    const unpinned = await whittle('profile', SAMPLE, '--device', 'rpi5');
    expect(unpinned.code).toBe(0);
    expect(unpinned.stdout).toMatch(/Pin them with --input x=Nx3xNxN/);
    const wrongRank = await whittle('profile', SAMPLE, '--input', 'x=1x3x48', '--device', 'rpi5');
    expect(wrongRank.code).toBe(2);
    expectOneLine(wrongRank.stderr);
    expect(wrongRank.stderr).toContain('input "x" has 4 dims');
    const wrongName = await whittle('profile', SAMPLE, '--input', 'image=1x3x48x192', '--device', 'rpi5');
    expect(wrongName.code).toBe(2);
    expect(wrongName.stderr).toContain('its inputs are x');
    const device = await whittle('profile', SAMPLE, '--device', 'toaster');
    expect(device.code).toBe(1);
    expectOneLine(device.stderr);
    expect(device.stderr).toContain('unknown device "toaster"');
  });
});
