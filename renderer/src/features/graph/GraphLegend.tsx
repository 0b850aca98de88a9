import type { ColourScale } from './colour-scale.js';
import type { Metric } from './metrics.js';

/** The colour ramp with the values at its ends and middle; says when the scale is logarithmic. */
export function GraphLegend({ scale, metric }: { scale: ColourScale | null; metric: Metric }) {
  if (!scale) return <div className="graph-legend muted">No {metric.label.toLowerCase()} figures</div>;
  const gradient = `linear-gradient(to right, ${scale.stops.map((s) => s.colour).join(', ')})`;
  const first = scale.stops[0]!;
  const middle = scale.stops[Math.floor(scale.stops.length / 2)]!;
  const last = scale.stops.at(-1)!;
  return (
    <div className="graph-legend" aria-label={`Colour scale for ${metric.label}${scale.log ? ', logarithmic' : ''}`}>
      <div className="legend-bar" style={{ background: gradient }} />
      <div className="legend-labels">
        <span>{metric.format(first.value)}</span>
        {scale.stops.length > 2 && <span>{metric.format(middle.value)}</span>}
        <span>{metric.format(last.value)}</span>
      </div>
      <div className="legend-notes">
        {scale.log && <span>log scale</span>}
        <span className="legend-none">
          <span className="legend-swatch" aria-hidden="true" /> no value
        </span>
      </div>
    </div>
  );
}
