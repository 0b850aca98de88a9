import { formatExact } from '../summary/format.js';
import { formatValue } from './stats-format.js';
import type { Histogram as Bins } from '../../../../engine/core/stats/tensor-summary.js';

const WIDTH = 280;
const HEIGHT = 72;

/** Bars of a histogram, with the value range under it and the tallest count beside it. */
export function Histogram({ bins, label }: { bins: Bins; label: string }) {
  const { edges, counts } = bins;
  const min = edges[0]!;
  const max = edges[edges.length - 1]!;
  const peak = Math.max(1, ...counts);
  const barWidth = WIDTH / counts.length;
  const zeroX = min < 0 && max > 0 ? ((0 - min) / (max - min)) * WIDTH : null;
  return (
    <figure className="histogram">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
        {counts.map((count, i) => {
          const h = count === 0 ? 0 : Math.max(1, (count / peak) * (HEIGHT - 2));
          return (
            <rect key={i} className="histogram-bar" x={i * barWidth + 0.5} width={Math.max(0.5, barWidth - 1)} y={HEIGHT - h} height={h}>
              <title>{`${formatValue(edges[i]!)} to ${formatValue(edges[i + 1]!)}: ${formatExact(count)}`}</title>
            </rect>
          );
        })}
        {zeroX === null ? null : <line className="histogram-zero" x1={zeroX} x2={zeroX} y1={0} y2={HEIGHT} />}
        <line className="histogram-axis" x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
      </svg>
      <figcaption className="histogram-axis-labels">
        <span>{formatValue(min)}</span>
        <span className="muted">peak {formatExact(Math.max(0, ...counts))}</span>
        <span>{formatValue(max)}</span>
      </figcaption>
    </figure>
  );
}
