import { describe, expect, it } from 'vitest';
import { revealScrollTop, rowAfterKey, rowWindow } from '../../../renderer/src/features/layers/windowing.js';

describe('rowWindow', () => {
  it('mounts the rows in view plus the overscan, at the top', () => {
    expect(rowWindow(0, 280, 28, 10_000, 5)).toEqual({ start: 0, end: 15, padTop: 0, padBottom: (10_000 - 15) * 28 });
  });

  it('follows the scroll position, counting a partly shown row', () => {
    // Rows 100 to 110 are in view (110 partly: 2814 + 290 = 3104 > 110 × 28 = 3080).
    const w = rowWindow(2814, 290, 28, 10_000, 5);
    expect(w).toEqual({ start: 95, end: 116, padTop: 95 * 28, padBottom: (10_000 - 116) * 28 });
    expect(w.padTop + (w.end - w.start) * 28 + w.padBottom).toBe(10_000 * 28);
  });

  it('stops at the last row', () => {
    expect(rowWindow(279_720, 280, 28, 10_000, 5)).toEqual({ start: 9985, end: 10_000, padTop: 9985 * 28, padBottom: 0 });
  });

  it('keeps within the rows when the content shrank below the scroll position', () => {
    expect(rowWindow(50_000, 280, 28, 3, 5)).toEqual({ start: 3, end: 3, padTop: 84, padBottom: 0 });
    expect(rowWindow(0, 280, 28, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });

  it('mounts a bounded number of rows however many there are', () => {
    const w = rowWindow(1_000_000, 600, 28, 100_000);
    expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(600 / 28) + 1 + 16);
  });
});

describe('revealScrollTop', () => {
  it('leaves the scroll alone when the row is in full view', () => {
    expect(revealScrollTop(10, 200, 280, 28)).toBe(200);
  });

  it('scrolls up to put a row above the view at the top', () => {
    expect(revealScrollTop(3, 200, 280, 28)).toBe(84);
  });

  it('scrolls down to put a row below the view at the bottom', () => {
    expect(revealScrollTop(20, 200, 280, 28)).toBe(21 * 28 - 280);
    // Partly hidden at the bottom counts as hidden.
    expect(revealScrollTop(17, 200, 280, 28)).toBe(18 * 28 - 280);
  });
});

describe('rowAfterKey', () => {
  it('moves one row with the arrows, staying within the rows', () => {
    expect(rowAfterKey('ArrowDown', 4, 10, 5)).toBe(5);
    expect(rowAfterKey('ArrowUp', 4, 10, 5)).toBe(3);
    expect(rowAfterKey('ArrowUp', 0, 10, 5)).toBe(0);
    expect(rowAfterKey('ArrowDown', 9, 10, 5)).toBe(9);
  });

  it('starts at the first row when none is selected', () => {
    expect(rowAfterKey('ArrowDown', -1, 10, 5)).toBe(0);
    expect(rowAfterKey('ArrowUp', -1, 10, 5)).toBe(0);
  });

  it('pages by the rows in view less one, and jumps to the ends', () => {
    expect(rowAfterKey('PageDown', 0, 100, 10)).toBe(9);
    expect(rowAfterKey('PageUp', 5, 100, 10)).toBe(0);
    expect(rowAfterKey('Home', 50, 100, 10)).toBe(0);
    expect(rowAfterKey('End', 50, 100, 10)).toBe(99);
  });

  it('ignores other keys and empty tables', () => {
    expect(rowAfterKey('a', 3, 10, 5)).toBeNull();
    expect(rowAfterKey('ArrowDown', -1, 0, 5)).toBeNull();
  });
});
