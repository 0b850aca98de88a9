import { useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { Column, ColumnKey } from './columns.js';
import type { LayerRow, LayerTotals, SortOrder } from './layer-rows.js';
import { useRowWindow } from './useRowWindow.js';
import { revealScrollTop, rowAfterKey } from './windowing.js';

const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 34;
const FOOTER_HEIGHT = 30;
const NAME_MIN_WIDTH = 220;

interface Props {
  readonly columns: readonly Column[];
  readonly rows: readonly LayerRow[];
  readonly totals: LayerTotals;
  readonly sort: SortOrder<ColumnKey>;
  readonly onSort: (column: Column) => void;
  readonly selected: string | null;
  readonly onSelect: (name: string) => void;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function LayersGrid({ columns, rows, totals, sort, onSort, selected, onSelect }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const focusSelected = useRef(false);
  const { start, end, padTop, padBottom, viewport } = useRowWindow(scroller, ROW_HEIGHT, rows.length, HEADER_HEIGHT + FOOTER_HEIGHT);
  const selectedIndex = useMemo(() => (selected === null ? -1 : rows.findIndex((r) => r.name === selected)), [rows, selected]);
  const minWidth = columns.reduce((w, c) => w + (c.width ?? NAME_MIN_WIDTH), 0);

  // Wherever the selection came from (the graph, a key, a click), bring it into view.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    el.scrollTop = revealScrollTop(selectedIndex, el.scrollTop, el.clientHeight - HEADER_HEIGHT - FOOTER_HEIGHT, ROW_HEIGHT);
  }, [selectedIndex]);

  // A row moved to by a key is mounted only after the scroll above; focus it then.
  useEffect(() => {
    if (!focusSelected.current || selectedIndex < start || selectedIndex >= end) return;
    focusSelected.current = false;
    scroller.current?.querySelector<HTMLElement>(`tr[data-index="${selectedIndex}"]`)?.focus({ preventScroll: true });
  });

  const onKeyDown = (e: KeyboardEvent) => {
    const next = rowAfterKey(e.key, selectedIndex, rows.length, Math.floor(viewport / ROW_HEIGHT));
    if (next === null) return;
    e.preventDefault();
    focusSelected.current = true;
    onSelect(rows[next]!.name);
  };

  const tabStop = selectedIndex >= 0 ? selectedIndex : start;
  return (
    <div className="layers-scroller" ref={scroller}>
      <table className="layers-table" role="grid" aria-label="Layers" aria-rowcount={rows.length + 2} style={{ minWidth }}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} style={c.width === undefined ? undefined : { width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
            {columns.map((c) => (
              <th key={c.key} className={c.numeric ? 'num' : undefined} aria-sort={sort.key === c.key ? ARIA_SORT[sort.dir] : 'none'} title={c.description}>
                <button type="button" className="layers-sort" onClick={() => onSort(c)}>
                  {c.label}
                  <span className="layers-sort-mark" aria-hidden="true">
                    {sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {padTop > 0 ? <Spacer height={padTop} span={columns.length} /> : null}
          {rows.slice(start, end).map((row, i) => (
            <Row key={row.name} row={row} index={start + i} columns={columns} selected={start + i === selectedIndex} tabStop={start + i === tabStop} onSelect={onSelect} />
          ))}
          {padBottom > 0 ? <Spacer height={padBottom} span={columns.length} /> : null}
          {rows.length === 0 ? (
            <tr>
              <td className="layers-empty" colSpan={columns.length}>
                No node matches the filter.
              </td>
            </tr>
          ) : null}
        </tbody>
        <tfoot>
          <tr className="layers-totals" aria-rowindex={rows.length + 2} style={{ height: FOOTER_HEIGHT }}>
            {columns.map((c) => {
              const cell = c.key === 'name' ? { text: `Total of ${totals.rows} shown`, title: 'Sums over the rows shown' } : c.total?.(totals);
              return (
                <td key={c.key} className={c.numeric ? 'num' : undefined} title={cell?.title}>
                  {cell?.text ?? ''}
                </td>
              );
            })}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Spacer({ height, span }: { height: number; span: number }) {
  return (
    <tr className="layers-spacer" aria-hidden="true">
      <td colSpan={span} style={{ height }} />
    </tr>
  );
}

interface RowProps {
  readonly row: LayerRow;
  readonly index: number;
  readonly columns: readonly Column[];
  readonly selected: boolean;
  readonly tabStop: boolean;
  readonly onSelect: (name: string) => void;
}

function Row({ row, index, columns, selected, tabStop, onSelect }: RowProps) {
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={tabStop ? 0 : -1}
      className={selected ? 'selected' : undefined}
      style={{ height: ROW_HEIGHT }}
      onClick={() => onSelect(row.name)}
    >
      {columns.map((c) => {
        const cell = c.cell(row);
        return (
          <td key={c.key} className={`${c.numeric ? 'num' : ''} col-${c.key}`.trim()} title={cell.title}>
            {c.key === 'bound' ? <span className={`bound bound-${row.bound.replace(' ', '-')}`}>{cell.text}</span> : cell.text}
          </td>
        );
      })}
    </tr>
  );
}
