import { lazy, Suspense, useState } from 'react';
import type { OpenedModelSummary } from '../../../engine/protocol/index.js';
import { BenchPanel } from '../features/bench/BenchPanel.js';
import { GraphView } from '../features/graph/GraphView.js';
import { Inspector } from '../features/inspector/Inspector.js';
import { LayersTable } from '../features/layers/LayersTable.js';
import { OptimizePanel } from '../features/optimize/OptimizePanel.js';
import { SummaryView } from '../features/summary/SummaryView.js';
import { ViewBoundary } from '../components/ViewBoundary.js';
import { AnalysisStatus } from './AnalysisStatus.js';
import './workbench.css';

// ECharts is most of the bundle: the charts load when their tab is first opened.
const RooflineChart = lazy(() => import('../features/charts/RooflineChart.js').then((m) => ({ default: m.RooflineChart })));
const OpTypeChart = lazy(() => import('../features/charts/OpTypeChart.js').then((m) => ({ default: m.OpTypeChart })));
const LatencyChart = lazy(() => import('../features/charts/LatencyChart.js').then((m) => ({ default: m.LatencyChart })));

const TABS = [
  { id: 'layers', label: 'Layers' },
  { id: 'roofline', label: 'Roofline' },
  { id: 'op-types', label: 'Op types' },
  { id: 'benchmark', label: 'Benchmark' },
  { id: 'latency', label: 'Latency' },
  { id: 'optimize', label: 'Optimize' },
  { id: 'summary', label: 'Summary' },
] as const;

type TabId = (typeof TABS)[number]['id'];

function TabContent({ tab, model }: { tab: TabId; model: OpenedModelSummary }) {
  switch (tab) {
    case 'layers':
      return <LayersTable />;
    case 'roofline':
      return <RooflineChart />;
    case 'op-types':
      return <OpTypeChart />;
    case 'benchmark':
      return <BenchPanel />;
    case 'latency':
      return <LatencyChart />;
    case 'optimize':
      return <OptimizePanel />;
    case 'summary':
      return <SummaryView model={model} />;
  }
}

/** The main screen: graph and inspector side by side, analysis views in tabs below. */
export function Workbench({ model }: { model: OpenedModelSummary }) {
  const [tab, setTab] = useState<TabId>('layers');
  return (
    <div className="workbench">
      <AnalysisStatus />
      <div className="workbench-top">
        <section className="graph-pane" aria-label="Graph">
          <ViewBoundary name="graph" resetKey={model}>
            <GraphView />
          </ViewBoundary>
        </section>
        <aside className="inspector-pane" aria-label="Inspector">
          <ViewBoundary name="inspector" resetKey={model}>
            <Inspector />
          </ViewBoundary>
        </aside>
      </div>
      <section className="bottom-pane">
        <div className="tabs" role="tablist" aria-label="Views">
          {TABS.map((t) => (
            <button key={t.id} role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id} aria-controls="tab-panel" className={tab === t.id ? 'tab active' : 'tab'} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
        <div className="tab-panel" id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
          <ViewBoundary name={TABS.find((t) => t.id === tab)!.label} resetKey={`${tab}:${model.path}`}>
            <Suspense fallback={<p className="status-note">Loading the chart…</p>}>
              <TabContent tab={tab} model={model} />
            </Suspense>
          </ViewBoundary>
        </div>
      </section>
    </div>
  );
}
