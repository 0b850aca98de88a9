/** React Flow's nodes and edges for a laid-out graph: every style decision is made here, not in components. */
import type { Edge, Node } from '@xyflow/react';
import { buildColourScale, textColourOn, type ColourScale } from './colour-scale.js';
import type { GraphNode } from './dataflow.js';
import { cardSize, type Layout, type Size } from './elk-input.js';
import type { BlockTree } from './grouping.js';
import { metricById, metricValue, type MetricId, type Totals } from './metrics.js';
import { keyFacts, outputShape } from './node-facts.js';
import type { VisibleGraph, VisibleItem } from './visible-graph.js';

type Fill = {
  /** null: no value for this metric (uncounted, not measured); drawn neutral. */
  readonly fill: string | null;
  readonly textColour: string | null;
  readonly metricText: string;
};

export type OpCardData = Fill & {
  readonly name: string;
  readonly opType: string;
  readonly facts: string;
  readonly shape: string;
  /** The node is one an optimization (previewed or applied) removes, folds, merges or rewrites. */
  readonly changing: boolean;
};

export type BlockCardData = Fill & {
  readonly blockId: string;
  readonly label: string;
  readonly nodeCount: number;
  readonly uncounted: number;
  readonly containsSelection: boolean;
  /** How many nodes inside an optimization changes. */
  readonly changing: number;
};

export type OpFlowNode = Node<OpCardData, 'op'>;
export type BlockFlowNode = Node<BlockCardData, 'block' | 'frame'>;
export type GraphFlowNode = OpFlowNode | BlockFlowNode;

export interface GraphFigures {
  readonly nodes: readonly GraphNode[];
  readonly tree: BlockTree;
  readonly totals: { readonly blocks: ReadonlyMap<string, Totals>; readonly nodes: readonly Totals[] };
}

function totalsOf(item: VisibleItem, figures: GraphFigures): Totals {
  return item.kind === 'node' ? figures.totals.nodes[item.index]! : figures.totals.blocks.get(item.blockId)!;
}

/** Colours compare what is on screen: collapsed blocks and single nodes side by side (frames are not coloured). */
export function scaleForItems(graph: VisibleGraph, figures: GraphFigures, metric: MetricId): ColourScale | null {
  return buildColourScale(graph.items.filter((i) => i.kind === 'node' || !i.expanded).map((i) => metricValue(totalsOf(i, figures), metric)));
}

/** The lines a card shows, which set its size; the metric figure has room reserved so sizes do not depend on it. */
export function cardLines(item: VisibleItem, figures: GraphFigures): string[] {
  if (item.kind === 'node') {
    const node = figures.nodes[item.index]!;
    return [`${node.opType} ${keyFacts(node)}`, `${outputShape(node)}  0000.00 GMAC`];
  }
  const block = figures.tree.blocks.get(item.blockId)!;
  if (item.expanded) return [`▾ ■ ${block.label}  ${block.nodeCount} nodes · 0000.00 GMAC`];
  return [`▸ ${block.label}`, `${block.nodeCount} nodes · 0000.00 GMAC`];
}

export function sizeOfItem(item: VisibleItem, figures: GraphFigures): Size {
  return cardSize(cardLines(item, figures), item.kind === 'node' ? 'node' : 'block');
}

function fillFor(totals: Totals, metric: MetricId, scale: ColourScale | null): Fill {
  const value = metricValue(totals, metric);
  const fill = scale?.colourOf(value) ?? null;
  return { fill, textColour: fill && textColourOn(fill), metricText: value === null ? '—' : metricById(metric).format(value) };
}

export interface FlowElementsInput {
  readonly graph: VisibleGraph;
  readonly layout: Layout;
  readonly figures: GraphFigures;
  readonly metric: MetricId;
  readonly scale: ColourScale | null;
}

export function flowNodes({ graph, layout, figures, metric, scale }: FlowElementsInput): GraphFlowNode[] {
  return graph.items.flatMap((item): GraphFlowNode[] => {
    const box = layout.get(item.id);
    if (!box) return [];
    const placement = { id: item.id, position: { x: box.x, y: box.y }, width: box.width, height: box.height, ...(item.parent ? { parentId: item.parent } : {}) };
    const fill = fillFor(totalsOf(item, figures), metric, scale);
    if (item.kind === 'node') {
      const node = figures.nodes[item.index]!;
      const data: OpCardData = { ...fill, name: node.name, opType: node.opType, facts: keyFacts(node), shape: outputShape(node), changing: false };
      return [{ ...placement, type: 'op', data }];
    }
    const block = figures.tree.blocks.get(item.blockId)!;
    const totals = figures.totals.blocks.get(item.blockId)!;
    const data: BlockCardData = { ...fill, blockId: item.blockId, label: block.label, nodeCount: block.nodeCount, uncounted: totals.uncounted, containsSelection: false, changing: 0 };
    return [{ ...placement, type: item.expanded ? 'frame' : 'block', data, selectable: false }];
  });
}

/** What the graph marks beyond colour: the selection, and the nodes an optimization changes. */
export interface GraphMarks {
  readonly selectedItem: string | null;
  /** Blocks holding the selected node. */
  readonly selectedBlocks: ReadonlySet<string>;
  /** Items (node ids) an optimization changes. */
  readonly changingItems: ReadonlySet<string>;
  /** Per block, how many nodes inside it an optimization changes. */
  readonly changingBlocks: ReadonlyMap<string, number>;
}

export const NO_CHANGES = { changingItems: new Set<string>(), changingBlocks: new Map<string, number>() } as const;

/**
 * Marks the selected node and the blocks around it, and what an optimization changes. Only the
 * nodes whose marks change are copied, so React Flow re-renders those alone when the selection moves.
 */
export function withMarks(nodes: readonly GraphFlowNode[], marks: GraphMarks): GraphFlowNode[] {
  return nodes.map((node): GraphFlowNode => {
    if (node.type === 'op') {
      const selected = node.id === marks.selectedItem;
      const changing = marks.changingItems.has(node.id);
      return (node.selected ?? false) === selected && node.data.changing === changing ? node : { ...node, selected, data: { ...node.data, changing } };
    }
    const containsSelection = marks.selectedBlocks.has(node.data.blockId);
    const changing = marks.changingBlocks.get(node.data.blockId) ?? 0;
    return node.data.containsSelection === containsSelection && node.data.changing === changing ? node : { ...node, data: { ...node.data, containsSelection, changing } };
  });
}

/** Symbolic shapes can be long formulas; the label keeps their start, the inspector has the rest. */
const EDGE_LABEL_CHARS = 24;

function clip(text: string): string {
  return text.length > EDGE_LABEL_CHARS ? `${text.slice(0, EDGE_LABEL_CHARS - 1)}…` : text;
}

export function flowEdges(graph: VisibleGraph, selectedItem: string | null): Edge[] {
  return graph.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    label: clip(e.label),
    className: selectedItem !== null && (e.source === selectedItem || e.target === selectedItem) ? 'edge-selected' : undefined,
  }));
}
