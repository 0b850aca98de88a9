import type { GraphMarks } from './flow-elements.js';
import { ancestorsOfNode, type BlockTree } from './grouping.js';
import { nodeItemId } from './visible-graph.js';

/**
 * The graph's marks for nodes an optimization changes, given by name: the nodes themselves, and
 * per block how many of them it holds (so a collapsed block still shows that something inside
 * changes). Names the graph does not draw (Constants, nodes inside bodies) are left out.
 */
export function changeMarks(tree: BlockTree, indexByName: ReadonlyMap<string, number>, names: Iterable<string>): Pick<GraphMarks, 'changingItems' | 'changingBlocks'> {
  const changingItems = new Set<string>();
  const changingBlocks = new Map<string, number>();
  for (const name of new Set(names)) {
    const index = indexByName.get(name);
    if (index === undefined) continue;
    changingItems.add(nodeItemId(index));
    for (const block of ancestorsOfNode(tree, index)) changingBlocks.set(block, (changingBlocks.get(block) ?? 0) + 1);
  }
  return { changingItems, changingBlocks };
}
