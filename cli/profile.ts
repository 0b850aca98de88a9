import { analyzeModel, type Analysis, type NodeAnalysis } from '../engine/core/analysis/index.js';
import { DEVICE_CATALOG, type DeviceProfile } from '../engine/core/hardware/index.js';
import { openModelFile } from '../engine/node/model-file.js';
import { formatBytes, formatCount, table } from './format.js';

export type ProfileFormat = 'text' | 'json' | 'csv' | 'md';

/** The JSON `whittle profile --json` prints: documented in docs/cli.md. */
export function profileJson(file: string, a: Analysis): unknown {
  return {
    model: { file, ...a.model, inputs: a.inputs, outputs: a.outputs, bindings: a.bindings, unpinnedDims: a.unpinnedDims },
    device: { id: a.device.profile.id, name: a.device.profile.name, peakOpsPerSec: a.device.profile.peakOpsPerSec, bandwidthBytesPerSec: a.device.profile.bandwidthBytesPerSec, ridgePoints: a.device.ridgePoints },
    totals: a.totals,
    byOpType: a.byOpType,
    latencyByDevice: a.latencyByDevice,
    memory: a.memory,
    nodes: a.nodes,
    subgraphNodes: a.subgraphNodes,
    findings: a.findings,
  };
}

const shapeText = (n: NodeAnalysis): string => n.outputs.map((o) => (o.shape === undefined ? '?' : o.shape.map((d) => d ?? '?').join('x') || 'scalar')).join(', ');
const ms = (v: number | null): string => (v === null ? '' : v < 0.001 ? v.toExponential(1) : v.toFixed(3));
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const intensityText = (v: number | null): string => (v === null ? '' : v.toFixed(v < 10 ? 2 : 1));

const COLUMNS = ['#', 'name', 'op', 'output shape', 'MACs', 'params', 'bytes', 'FLOP/B', 'bound', 'pred. ms', 'share'];

function row(n: NodeAnalysis, human: boolean): string[] {
  const count = (v: number): string => (human ? formatCount(v) : String(v));
  return [
    String(n.index),
    n.name,
    n.opType,
    shapeText(n),
    n.counted ? count(n.macs) : 'uncounted',
    count(n.params),
    n.counted ? (human ? formatBytes(n.readBytes + n.writeBytes) : String(n.readBytes + n.writeBytes)) : '',
    intensityText(n.intensity),
    n.bound ?? '',
    ms(n.predictedMs),
    n.counted ? pct(n.share) : '',
  ];
}

/** The nodes to list: every node, or with `top` the slowest predicted ones, kept in execution order. */
function selected(a: Analysis, top: number | undefined): readonly NodeAnalysis[] {
  if (top === undefined) return a.nodes;
  const keep = new Set([...a.nodes].sort((x, y) => (y.predictedMs ?? -1) - (x.predictedMs ?? -1)).slice(0, top));
  return a.nodes.filter((n) => keep.has(n));
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function summaryLines(file: string, a: Analysis): string[] {
  const t = a.totals;
  const d = a.device.profile;
  const lines = [
    `${file}`,
    `Device: ${d.name} (${d.id}); ridge point ${Object.entries(a.device.ridgePoints).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} FLOP/B`,
    `Inputs: ${a.inputs.map((i) => `${i.name} ${i.dtype}[${(i.shape ?? []).map((x) => x ?? '?').join('x')}]`).join(', ')}`,
  ];
  if (a.unpinnedDims.length > 0) {
    const example = a.inputs.filter((i) => i.shape?.some((d) => typeof d !== 'number')).map((i) => `--input ${i.name}=${i.shape!.map((d) => (typeof d === 'number' ? d : 'N')).join('x')}`);
    lines.push(`Note: input dims ${a.unpinnedDims.join(', ')} are not numbers, so nodes that depend on them are uncounted. Pin them with ${example.join(' ') || '--input NAME=DIMS'} (N: the size you deploy with).`);
  }
  const uncounted = t.uncountedNodes > 0 ? ` (${t.uncountedNodes} of ${t.nodes} nodes uncounted: not in these totals)` : '';
  lines.push(
    '',
    table([
      ['MACs', `${formatCount(t.macs)} (FLOPs ${formatCount(t.flops)}; FLOPs = 2 × MACs + element-wise work, see docs/cost-model.md)`],
      ['Parameters', `${formatCount(t.params)}  weights ${formatBytes(t.weightBytes)}`],
      ['Traffic', `${formatBytes(t.readBytes + t.writeBytes)} (read ${formatBytes(t.readBytes)}, written ${formatBytes(t.writeBytes)}); after runtime fusions ${formatBytes(a.memory.fusedTrafficBytes)}`],
      ['Peak activations', `${formatBytes(t.peakActivationBytes)}${a.memory.peakIsLowerBound ? ' (lower bound: some sizes unknown)' : ''}${a.memory.peakStep ? ` at ${a.memory.peakStep.node}` : ''}`],
      ['Predicted latency', `${t.predictedMs.toFixed(3)} ms${uncounted}; ${pct(t.memoryBoundShare)} of it in memory-bound nodes`],
      ['Unknown shapes', `${t.unknownShapeNodes} nodes`],
    ]),
    '',
  );
  return lines;
}

/** The analysis in the chosen format. */
export function formatProfile(file: string, a: Analysis, format: ProfileFormat, top?: number): string {
  const nodes = selected(a, top);
  switch (format) {
    case 'json':
      return JSON.stringify(profileJson(file, a), null, 2);
    case 'csv':
      return [COLUMNS, ...nodes.map((n) => row(n, false))].map((r) => r.map(csvCell).join(',')).join('\n');
    case 'md': {
      const escape = (s: string): string => s.replace(/\|/g, '\\|');
      const lines = [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`, ...nodes.map((n) => `| ${row(n, true).map(escape).join(' | ')} |`)];
      return lines.join('\n');
    }
    case 'text': {
      const lines = summaryLines(file, a);
      lines.push(top === undefined ? 'Nodes in execution order:' : `The ${nodes.length} nodes with the most predicted time, in execution order:`);
      lines.push(table([COLUMNS, ...nodes.map((n) => row(n, true))]));
      const ops = a.byOpType.slice(0, 10);
      lines.push('', 'By op type:', table([['op', 'count', 'MACs', 'bytes', 'pred. ms', 'share'], ...ops.map((o) => [o.opType, String(o.count), formatCount(o.macs), formatBytes(o.readBytes + o.writeBytes), o.predictedMs.toFixed(3), pct(o.share)])]));
      if (a.latencyByDevice.length > 0) {
        lines.push('', 'Predicted latency on other devices (roofline lower bound; uncounted nodes left out):');
        lines.push(table([['device', 'pred. ms', 'memory-bound'], ...a.latencyByDevice.map((d) => [`${d.name} (${d.id})`, d.predictedMs === null ? `– (no figure for ${d.nodesWithoutFigure} nodes' element type: quantize first)` : d.predictedMs.toFixed(3), d.predictedMs === null ? '' : pct(d.memoryBoundShare)])]));
      }
      return lines.join('\n');
    }
  }
}

/** Opens and analyzes a model file for a device. */
export async function profileModel(path: string, inputDims: Record<string, (number | string)[]>, device: DeviceProfile): Promise<{ file: string; analysis: Analysis }> {
  const opened = await openModelFile(path);
  const compareWith = DEVICE_CATALOG.filter((d) => d.id !== device.id);
  return { file: opened.path, analysis: analyzeModel(opened.model, { inputDims, device, compareWith }) };
}
