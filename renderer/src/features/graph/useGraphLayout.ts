import { useEffect, useRef, useState } from 'react';
import { toElkGraph, type Layout, type Size } from './elk-input.js';
import { createLayoutRunner, type LayoutRunner } from './layout-client.js';
import type { VisibleGraph } from './visible-graph.js';

export interface LaidOutGraph {
  readonly graph: VisibleGraph;
  readonly layout: Layout;
}

export interface GraphLayoutState {
  /** The newest graph whose layout is done: it stays shown while a newer one is laid out. */
  readonly shown: LaidOutGraph | null;
  readonly pending: boolean;
  readonly error: string | null;
}

/** Lays the graph out off the UI thread whenever it changes. */
export function useGraphLayout(graph: VisibleGraph, sizeOf: (id: string) => Size): GraphLayoutState {
  const runner = useRef<LayoutRunner | null>(null);
  const [state, setState] = useState<GraphLayoutState>({ shown: null, pending: true, error: null });

  useEffect(() => {
    const own = createLayoutRunner();
    runner.current = own;
    return () => {
      own.dispose();
      runner.current = null;
    };
  }, []);

  useEffect(() => {
    const current = runner.current;
    if (!current) return;
    setState((s) => ({ ...s, pending: true, error: null }));
    current.run(toElkGraph(graph, sizeOf)).then(
      (layout) => {
        if (layout) setState({ shown: { graph, layout }, pending: false, error: null });
      },
      (err: Error) => setState((s) => ({ ...s, pending: false, error: `Layout failed: ${err.message}` })),
    );
  }, [graph, sizeOf]);

  return state;
}
