import { useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import { rowWindow, type RowWindow } from './windowing.js';

/** Before the first measure (and when rendered on a server). */
const DEFAULT_VIEWPORT = 600;

/**
 * The rows of `scroller` to mount, following its scroll position and size. `chrome` is the height
 * the sticky header and footer cover; rows start below the header.
 */
export function useRowWindow(scroller: RefObject<HTMLElement | null>, rowHeight: number, count: number, chrome: number): RowWindow & { viewport: number } {
  const [viewport, setViewport] = useState(DEFAULT_VIEWPORT);
  // Kept to whole rows so that scrolling within a row renders nothing.
  const [firstRow, setFirstRow] = useState(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(Math.max(0, el.clientHeight - chrome));
    const onScroll = () => setFirstRow(Math.floor(el.scrollTop / rowHeight));
    measure();
    onScroll();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, [scroller, rowHeight, chrome]);

  // Fewer rows (a filter) can shorten the content below the scroll position; the browser clamps it.
  useEffect(() => {
    const el = scroller.current;
    if (el) setFirstRow(Math.floor(el.scrollTop / rowHeight));
  }, [scroller, rowHeight, count]);

  return { ...rowWindow(firstRow * rowHeight, viewport, rowHeight, count), viewport };
}
