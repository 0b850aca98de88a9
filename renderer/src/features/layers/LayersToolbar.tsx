import { useEffect, useState } from 'react';
import { formatExact } from '../summary/format.js';
import type { BoundKind, LayerFilter } from './layer-rows.js';

interface Props {
  readonly filter: LayerFilter;
  readonly onFilter: (filter: LayerFilter) => void;
  readonly opTypes: readonly { value: string; count: number }[];
  readonly bounds: readonly { value: BoundKind; count: number }[];
  readonly shown: number;
  readonly total: number;
  /** The CSV of the rows shown. */
  readonly csv: () => string;
}

export function LayersToolbar({ filter, onFilter, opTypes, bounds, shown, total, csv }: Props) {
  const [copyNote, setCopyNote] = useState('');
  useEffect(() => {
    if (copyNote === '') return;
    const timer = setTimeout(() => setCopyNote(''), 3000);
    return () => clearTimeout(timer);
  }, [copyNote]);
  const copy = () => {
    navigator.clipboard.writeText(csv()).then(
      () => setCopyNote(`Copied ${formatExact(shown)} rows`),
      (err: unknown) => setCopyNote(`Could not copy: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  return (
    <div className="layers-toolbar">
      <input
        type="search"
        className="layers-search"
        placeholder="Filter by name"
        aria-label="Filter by name"
        value={filter.text}
        onChange={(e) => onFilter({ ...filter, text: e.target.value })}
      />
      <select className="layers-select" aria-label="Op type" value={filter.opType} onChange={(e) => onFilter({ ...filter, opType: e.target.value })}>
        <option value="">All ops</option>
        {opTypes.map((o) => (
          <option key={o.value} value={o.value}>
            {o.value} ({o.count})
          </option>
        ))}
      </select>
      <select className="layers-select" aria-label="Bound" value={filter.bound} onChange={(e) => onFilter({ ...filter, bound: e.target.value as BoundKind | '' })}>
        <option value="">Any bound</option>
        {bounds.map((b) => (
          <option key={b.value} value={b.value}>
            {b.value} ({b.count})
          </option>
        ))}
      </select>
      <label className="layers-check">
        <input type="checkbox" checked={filter.showNoWork} onChange={(e) => onFilter({ ...filter, showNoWork: e.target.checked })} />
        Constants and other no-work nodes
      </label>
      <span className="layers-count" role="status">
        {shown === total ? `${formatExact(total)} nodes` : `${formatExact(shown)} of ${formatExact(total)} nodes`}
      </span>
      <span className="layers-copy-note" aria-live="polite">
        {copyNote}
      </span>
      <button type="button" className="button layers-copy" onClick={copy} disabled={shown === 0}>
        Copy CSV
      </button>
    </div>
  );
}
