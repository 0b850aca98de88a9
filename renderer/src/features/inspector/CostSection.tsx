import type { NodeAnalysis } from '../../../../engine/core/analysis/types.js';
import type { MeasuredNode } from '../../../../engine/protocol/index.js';
import { formatBytes, formatCount, formatExact, formatShare } from '../summary/format.js';
import { formatDecimal, formatMs } from '../layers/format.js';
import { Figures, type Figure } from './Figures.js';

function countFigure(label: string, n: number, unit: string): Figure {
  return [label, formatCount(n), `${formatExact(n)} ${unit}`];
}

function bytesFigure(label: string, n: number): Figure {
  return [label, formatBytes(n), `${formatExact(n)} bytes`];
}

function costFigures(node: NodeAnalysis): Figure[] {
  const counted: Figure[] = node.counted
    ? [
        countFigure('MACs', node.macs, 'MACs'),
        countFigure('FLOPs', node.flops, 'FLOPs'),
        bytesFigure('Read', node.readBytes),
        bytesFigure('Written', node.writeBytes),
        ['Intensity', node.intensity === null ? '—' : `${formatDecimal(node.intensity)} FLOP/B`, node.intensity === null ? undefined : `${node.intensity} FLOP/byte`],
        ['Bound', node.bound ?? `no ${node.computeDtype} figure`],
        ['Predicted', node.predictedMs === null ? '—' : formatMs(node.predictedMs), node.predictedMs === null ? undefined : `${node.predictedMs} ms`],
        ['Share', formatShare(node.share)],
      ]
    : [];
  return [...counted, countFigure('Params', node.params, 'parameters'), bytesFigure('Weights', node.weightBytes), ['Computes in', node.computeDtype]];
}

function measuredFigures(m: MeasuredNode): Figure[] {
  return [
    ['Measured', formatMs(m.ms), `${m.ms} ms`],
    ['Of run', formatShare(m.share)],
    ['GFLOP/s', m.gflops === null ? '—' : formatDecimal(m.gflops)],
    ['GB/s', m.gbps === null ? '—' : formatDecimal(m.gbps)],
  ];
}

export function CostSection({ node, measured }: { node: NodeAnalysis; measured: MeasuredNode | undefined }) {
  return (
    <section className="inspector-section" aria-label="Cost">
      <h3>Cost</h3>
      {node.counted ? <pre className="inspector-formula">{node.formula}</pre> : <p className="inspector-warning">Uncounted: {node.uncountedReason ?? node.formula}</p>}
      <Figures figures={costFigures(node)} className="inspector-figures" />
      {measured ? (
        <>
          <h4>
            Measured <span className="muted mono" title={measured.kernel}>{measured.kernel}</span>
          </h4>
          <Figures figures={measuredFigures(measured)} className="inspector-figures" />
        </>
      ) : null}
    </section>
  );
}
