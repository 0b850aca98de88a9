/** The rows of a fixed-row-height list worth mounting: those in view plus `overscan` on each side. */
export interface RowWindow {
  /** First mounted row. */
  readonly start: number;
  /** One past the last mounted row. */
  readonly end: number;
  /** Space standing in for the rows above and below the window, in pixels. */
  readonly padTop: number;
  readonly padBottom: number;
}

export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, last + overscan);
  return { start, end: Math.max(start, end), padTop: start * rowHeight, padBottom: Math.max(0, count - Math.max(start, end)) * rowHeight };
}

/** The scroll offset that brings row `index` fully into view, moving as little as possible. */
export function revealScrollTop(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return scrollTop;
}

/** The row a key moves to from `current` (-1: none), or null when the key does not move. */
export function rowAfterKey(key: string, current: number, count: number, pageRows: number): number | null {
  if (count === 0) return null;
  const page = Math.max(1, pageRows - 1);
  const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current < 0 ? 0 : current - 1, PageDown: current + page, PageUp: current - page, Home: 0, End: count - 1 };
  const next = moves[key];
  return next === undefined ? null : Math.min(count - 1, Math.max(0, next));
}
