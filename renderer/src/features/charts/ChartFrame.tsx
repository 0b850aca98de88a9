import type { ReactNode } from 'react';
import './charts.css';

interface Props {
  /** Controls and facts above the chart. */
  readonly toolbar?: ReactNode;
  readonly children: ReactNode;
}

/** A chart filling its parent, with an optional toolbar row. */
export function ChartFrame({ toolbar, children }: Props) {
  return (
    <div className="chart-frame">
      {toolbar === undefined ? null : <div className="chart-toolbar">{toolbar}</div>}
      <div className="chart-body">{children}</div>
    </div>
  );
}

/** Stands in for a chart that has nothing to draw yet, saying why and what to do. */
export function ChartHint({ children }: { readonly children: ReactNode }) {
  return (
    <div className="chart-frame">
      <p className="chart-hint">{children}</p>
    </div>
  );
}
