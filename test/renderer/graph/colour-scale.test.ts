import { describe, expect, it } from 'vitest';
import { buildColourScale, rampColour, textColourOn } from '../../../renderer/src/features/graph/colour-scale.js';

describe('buildColourScale', () => {
  it('goes logarithmic when values span decades, so the middle decade gets the middle colour', () => {
    const scale = buildColourScale([1, 10, 100, 1000, 10_000, null])!;
    expect(scale.log).toBe(true);
    expect(scale.colourOf(100)).toBe(rampColour(0.5));
    expect(scale.stops.map((s) => Math.round(s.value))).toEqual([1, 10, 100, 1000, 10_000]);
  });

  it('stays linear when the values are close', () => {
    const scale = buildColourScale([2, 3, 4])!;
    expect(scale.log).toBe(false);
    expect(scale.colourOf(3)).toBe(rampColour(0.5));
    expect(scale.colourOf(2)).toBe(rampColour(0));
  });

  it('draws zeros at the low end of a log scale and gives no colour to missing values', () => {
    const scale = buildColourScale([0, 1, 1000])!;
    expect(scale.log).toBe(true);
    expect(scale.colourOf(0)).toBe(rampColour(0));
    expect(scale.colourOf(null)).toBeNull();
  });

  it('has no scale without values, and one stop when all values are equal', () => {
    expect(buildColourScale([null, null])).toBeNull();
    expect(buildColourScale([5, 5])!.stops).toHaveLength(1);
  });
});

describe('textColourOn', () => {
  it('picks the readable text colour for the ramp ends', () => {
    expect(textColourOn(rampColour(0))).toBe('#000000');
    expect(textColourOn(rampColour(1))).toBe('#ffffff');
  });
});
