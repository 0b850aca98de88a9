import { useCallback, useMemo, useState } from 'react';
import type { Analysis } from '../../../../engine/core/analysis/types.js';
import type { MeasuredNode } from '../../../../engine/protocol/index.js';
import { selectAnalysis, selectAnalysisStatus, selectBenchResult, selectSelectNode, selectSelectedNode, useWorkbench } from '../../store/index.js';
import { firstSortDir, visibleColumns, type Column, type ColumnKey } from './columns.js';
import { layersCsv } from './csv.js';
import { DEFAULT_FILTER, filterRows, layerRows, sortRows, totalsOf, valueCounts, type LayerFilter, type SortOrder } from './layer-rows.js';
import { LayersGrid } from './LayersGrid.js';
import { LayersToolbar } from './LayersToolbar.js';
import './layers.css';

const NO_MEASUREMENTS: readonly MeasuredNode[] = [];
const EXECUTION_ORDER: SortOrder<ColumnKey> = { key: 'index', dir: 'asc' };

/** Every node of the analysis with its costs, sortable and filterable; selecting a row selects the node everywhere. */
export function LayersTable() {
  const analysis = useWorkbench(selectAnalysis);
  const status = useWorkbench(selectAnalysisStatus);
  const measured = useWorkbench(selectBenchResult)?.nodes ?? NO_MEASUREMENTS;
  const selected = useWorkbench(selectSelectedNode);
  const selectNode = useWorkbench(selectSelectNode);
  if (analysis === null) {
    return <p className="layers-note">{status === 'loading' ? 'Analyzing the model…' : status === 'error' ? 'The analysis failed; see the message above.' : 'No analysis yet.'}</p>;
  }
  return <LayersView nodes={analysis.nodes} measured={measured} selected={selected} onSelect={selectNode} />;
}

interface ViewProps {
  readonly nodes: Analysis['nodes'];
  readonly measured: readonly MeasuredNode[];
  readonly selected: string | null;
  readonly onSelect: (name: string) => void;
}

/** The table for given nodes, apart from the store. */
export function LayersView({ nodes, measured, selected, onSelect }: ViewProps) {
  const [filter, setFilter] = useState<LayerFilter>(DEFAULT_FILTER);
  const [sort, setSort] = useState<SortOrder<ColumnKey>>(EXECUTION_ORDER);

  const columns = visibleColumns(measured.length > 0);
  // A measured column sorted by stays sorted by only while measurements are shown.
  const order = columns.some((c) => c.key === sort.key) ? sort : EXECUTION_ORDER;
  const sortColumn = columns.find((c) => c.key === order.key)!;
  const all = useMemo(() => layerRows(nodes, measured), [nodes, measured]);
  const opTypes = useMemo(() => valueCounts(all, (r) => r.opType), [all]);
  const bounds = useMemo(() => valueCounts(all, (r) => r.bound), [all]);
  const filtered = useMemo(() => filterRows(all, filter), [all, filter]);
  const rows = useMemo(() => sortRows(filtered, sortColumn.value, order.dir), [filtered, sortColumn, order.dir]);
  const totals = useMemo(() => totalsOf(filtered), [filtered]);

  const onSort = useCallback((c: Column) => setSort((s) => (s.key === c.key ? { key: c.key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key: c.key, dir: firstSortDir(c) })), []);

  return (
    <div className="layers">
      <LayersToolbar filter={filter} onFilter={setFilter} opTypes={opTypes} bounds={bounds} shown={rows.length} total={all.length} csv={() => layersCsv(columns, rows)} />
      <LayersGrid columns={columns} rows={rows} totals={totals} sort={order} onSort={onSort} selected={selected} onSelect={onSelect} />
    </div>
  );
}
