import { Background, Controls, MiniMap, Panel, ReactFlow, ReactFlowProvider, useReactFlow, useStore } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Analysis } from '../../../../engine/core/analysis/types.js';
import { selectAnalysis, selectBenchResult, selectOptimizeReport, selectSelectedNode, selectSelectNode, useWorkbench } from '../../store/index.js';
import { revealNode, toggleBlock } from './expansion.js';
import { changeMarks } from './change-marks.js';
import { flowEdges, flowNodes, scaleForItems, sizeOfItem, withMarks, type GraphFlowNode } from './flow-elements.js';
import { NODE_TYPES, ToggleBlockContext } from './GraphCards.js';
import { GraphLegend } from './GraphLegend.js';
import { GraphToolbar } from './GraphToolbar.js';
import { ancestorsOfNode } from './grouping.js';
import { availableMetrics, metricById, type MetricId } from './metrics.js';
import { useExpansion, useGraphModel } from './useGraphFigures.js';
import { useGraphLayout } from './useGraphLayout.js';
import { absoluteBox, boundsOf, openingViewport } from './viewport.js';
import { buildVisibleGraph, nodeItemId } from './visible-graph.js';
import './graph.css';

const FOCUS_ZOOM = 1;

function minimapColour(node: GraphFlowNode): string {
  return node.type === 'frame' ? 'transparent' : (node.data.fill ?? 'var(--graph-no-value)');
}

function GraphCanvas({ analysis }: { analysis: Analysis }) {
  const bench = useWorkbench(selectBenchResult);
  const selectedNode = useWorkbench(selectSelectedNode);
  const selectNode = useWorkbench(selectSelectNode);
  const model = useGraphModel(analysis, bench);
  const [expanded, updateExpanded] = useExpansion(model.tree);
  const [chosenMetric, setMetric] = useState<MetricId>('predictedMs');
  const metrics = availableMetrics(model.hasMeasured);
  const metric = metrics.some((m) => m.id === chosenMetric) ? chosenMetric : 'predictedMs';

  const visible = useMemo(() => buildVisibleGraph(model.tree, model.edges, expanded), [model.tree, model.edges, expanded]);
  const sizeOf = useMemo(() => {
    const items = new Map(visible.items.map((i) => [i.id, i]));
    return (id: string) => sizeOfItem(items.get(id)!, model);
  }, [visible, model]);
  const { shown, pending, error } = useGraphLayout(visible, sizeOf);

  const scale = useMemo(() => (shown ? scaleForItems(shown.graph, model, metric) : null), [shown, model, metric]);
  const baseNodes = useMemo(() => (shown ? flowNodes({ graph: shown.graph, layout: shown.layout, figures: model, metric, scale }) : []), [shown, model, metric, scale]);
  const selectedIndex = selectedNode === null ? null : (model.indexByName.get(selectedNode) ?? null);
  const selectedItem = selectedIndex === null ? null : nodeItemId(selectedIndex);
  const selectedBlocks = useMemo(() => new Set(selectedIndex === null ? [] : ancestorsOfNode(model.tree, selectedIndex)), [model.tree, selectedIndex]);
  const optimizeReport = useWorkbench(selectOptimizeReport);
  const changing = useMemo(() => changeMarks(model.tree, model.indexByName, (optimizeReport?.changes ?? []).filter((c) => c.graphPath === 'graph').flatMap((c) => c.nodes)), [model, optimizeReport]);
  const nodes = useMemo(() => withMarks(baseNodes, { selectedItem, selectedBlocks, ...changing }), [baseNodes, selectedItem, selectedBlocks, changing]);
  const edges = useMemo(() => (shown ? flowEdges(shown.graph, selectedItem) : []), [shown, selectedItem]);

  const flow = useReactFlow();
  const viewSize = useStore((s) => ({ width: s.width, height: s.height }), (a, b) => a.width === b.width && a.height === b.height);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const openedOnce = useRef(false);
  const clickedInGraph = useRef<string | null>(null);

  useEffect(() => {
    if (!shown || openedOnce.current || viewSize.width === 0) return;
    openedOnce.current = true;
    // Open where execution starts: the first node that reads something (Constants come earlier).
    const first = shown.graph.items.find((i) => i.kind === 'node' && model.nodes[i.index]!.inputs.length > 0) ?? shown.graph.items[0];
    const firstBox = first && absoluteBox(shown.graph, shown.layout, first.id);
    if (firstBox) void flow.setViewport(openingViewport(boundsOf(shown.layout, shown.graph), firstBox, viewSize));
  }, [shown, viewSize, flow, model.nodes]);

  const reveal = useCallback(
    (index: number) => {
      updateExpanded((e) => revealNode(model.tree, e, index));
      setFocusIndex(index);
    },
    [model.tree, updateExpanded],
  );

  // A node chosen elsewhere (table, inspector, chart) is opened and centred here.
  useEffect(() => {
    if (selectedIndex === null || clickedInGraph.current === selectedNode) return;
    reveal(selectedIndex);
  }, [selectedIndex, selectedNode, reveal]);

  useEffect(() => {
    // Wait for the layout of the graph that has the node open.
    if (focusIndex === null || shown?.graph !== visible) return;
    const box = absoluteBox(shown.graph, shown.layout, nodeItemId(focusIndex));
    if (!box) return;
    setFocusIndex(null);
    void flow.setCenter(box.x + box.width / 2, box.y + box.height / 2, { zoom: Math.max(flow.getZoom(), FOCUS_ZOOM), duration: 400 });
  }, [focusIndex, shown, visible, flow]);

  const jumpTo = useCallback(
    (index: number) => {
      clickedInGraph.current = null;
      reveal(index);
      selectNode(model.nodes[index]!.name);
    },
    [reveal, selectNode, model.nodes],
  );
  const toggle = useCallback((blockId: string) => updateExpanded((e) => toggleBlock(model.tree, e, blockId)), [model.tree, updateExpanded]);
  const onNodeClick = useCallback(
    (_: unknown, node: GraphFlowNode) => {
      if (node.type !== 'op') return;
      clickedInGraph.current = node.data.name;
      selectNode(node.data.name);
    },
    [selectNode],
  );

  const mounted = shown ? shown.graph.items.length : 0;
  return (
    <div className="graph-view">
      <GraphToolbar
        metrics={metrics}
        metric={metric}
        onMetric={setMetric}
        nodes={model.nodes}
        onJump={jumpTo}
        status={error ?? (pending ? 'Laying out…' : graphStatus(mounted, model.mainNodes, model.nodes.length - model.mainNodes, model.hiddenConstants))}
        statusIsError={error !== null}
      />
      <div className="graph-canvas">
        <ToggleBlockContext.Provider value={toggle}>
          <ReactFlow<GraphFlowNode>
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            onNodeClick={onNodeClick}
            onPaneClick={() => selectNode(null)}
            colorMode="system"
            minZoom={0.02}
            maxZoom={2.5}
            onlyRenderVisibleElements
            nodesDraggable={false}
            nodesConnectable={false}
            nodesFocusable={false}
            edgesFocusable={false}
            elementsSelectable={false}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={24} size={1} />
            <Controls showInteractive={false} position="bottom-left" />
            <MiniMap<GraphFlowNode> nodeColor={minimapColour} nodeStrokeWidth={0} pannable zoomable position="bottom-right" ariaLabel="Minimap" />
            <Panel position="top-right">
              <GraphLegend scale={scale} metric={metricById(metric)} />
            </Panel>
          </ReactFlow>
        </ToggleBlockContext.Provider>
        {!shown && !error && <div className="graph-overlay">Laying out {visible.items.length.toLocaleString('en-US')} items…</div>}
      </div>
    </div>
  );
}

/** The model as a graph: blocks that open and close, coloured by a chosen metric; fills its parent. */
export function GraphView() {
  const analysis = useWorkbench(selectAnalysis);
  if (!analysis) {
    return (
      <div className="graph-view">
        <div className="graph-overlay">The graph appears once the model is analyzed.</div>
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <GraphCanvas analysis={analysis} />
    </ReactFlowProvider>
  );
}

function graphStatus(mounted: number, nodes: number, bodyNodes: number, constants: number): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return `${count(mounted)} items shown · ${count(nodes)} nodes${bodyNodes > 0 ? ` (+${count(bodyNodes)} in If/Loop/Scan bodies)` : ''}${constants > 0 ? ` (${count(constants)} Constant nodes hidden: see weights in the inspector)` : ''}`;
}
