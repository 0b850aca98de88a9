import { useDeferredValue, useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { GraphNode } from './dataflow.js';
import { searchNodes } from './search.js';

interface GraphSearchProps {
  readonly nodes: readonly GraphNode[];
  readonly onJump: (index: number) => void;
}

/** Find a node by name or op type; Enter jumps to the highlighted match (the first one by default). */
export function GraphSearch({ nodes, onJump }: GraphSearchProps) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const deferredQuery = useDeferredValue(query);
  const result = useMemo(() => searchNodes(nodes, deferredQuery), [nodes, deferredQuery]);
  const listId = useId();
  const showList = open && query.trim() !== '';

  const jump = (index: number | undefined) => {
    if (index === undefined) return;
    onJump(index);
    setOpen(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => Math.min(Math.max(0, a + step), Math.max(0, result.matches.length - 1)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const { matches } = searchNodes(nodes, query);
      jump(matches[active] ?? matches[0]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  return (
    <div className="graph-search">
      <input
        type="search"
        role="combobox"
        aria-label="Find node by name or op type"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && result.matches.length > 0 ? `${listId}-${active}` : undefined}
        placeholder="Find node or op type…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <ul className="search-results" id={listId} role="listbox" aria-label="Matching nodes">
          {result.matches.map((index, i) => (
            <li
              key={index}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => jump(index)}
            >
              <span className="result-op">{nodes[index]!.opType}</span>
              <span className="result-name">{nodes[index]!.name}</span>
            </li>
          ))}
          <li className="search-count" role="presentation">
            {result.total === 0 ? 'No match' : result.total > result.matches.length ? `${result.matches.length} of ${result.total.toLocaleString('en-US')} matches` : `${result.total} match${result.total === 1 ? '' : 'es'}`}
          </li>
        </ul>
      )}
    </div>
  );
}
