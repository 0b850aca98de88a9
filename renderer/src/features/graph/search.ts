import type { GraphNode } from './dataflow.js';

export interface SearchResult {
  /** Up to `limit` matching node indices: exact op-type matches first, then by execution order. */
  readonly matches: readonly number[];
  readonly total: number;
}

/** Nodes whose name or op type contains the query, case-insensitive. */
export function searchNodes(nodes: readonly Pick<GraphNode, 'name' | 'opType'>[], query: string, limit = 50): SearchResult {
  const q = query.trim().toLowerCase();
  if (q === '') return { matches: [], total: 0 };
  const exactOp: number[] = [];
  const other: number[] = [];
  nodes.forEach((node, index) => {
    const op = node.opType.toLowerCase();
    if (op === q) exactOp.push(index);
    else if (op.includes(q) || node.name.toLowerCase().includes(q)) other.push(index);
  });
  return { matches: [...exactOp, ...other].slice(0, limit), total: exactOp.length + other.length };
}
