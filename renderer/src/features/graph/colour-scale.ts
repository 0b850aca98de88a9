/**
 * Metric → colour. Costs in a network span decades (a Conv against a Reshape), so the scale goes
 * logarithmic when the values do.
 */

/** Pale for cheap, deep red for costly: hot spots stand out and cheap nodes stay quiet. */
const RAMP: readonly (readonly [number, number, number])[] = [
  [255, 247, 204],
  [254, 221, 141],
  [253, 174, 97],
  [244, 109, 67],
  [215, 48, 39],
  [140, 20, 40],
];

/** Values spanning at least this ratio are drawn on a log scale. */
const LOG_RATIO = 100;
const LEGEND_STOPS = 5;

export interface LegendStop {
  readonly value: number;
  readonly colour: string;
}

export interface ColourScale {
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
  /** null (uncounted, not measured) has no colour: the node is drawn neutral. */
  colourOf(value: number | null): string | null;
  readonly stops: readonly LegendStop[];
}

function hex(n: number): string {
  return Math.round(n).toString(16).padStart(2, '0');
}

/** The ramp's colour at t in [0, 1]. */
export function rampColour(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [RAMP[i]!, RAMP[i + 1]!];
  return `#${hex(a[0] + (b[0] - a[0]) * f)}${hex(a[1] + (b[1] - a[1]) * f)}${hex(a[2] + (b[2] - a[2]) * f)}`;
}

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
export function textColourOn(colour: string): '#000000' | '#ffffff' {
  const channel = (i: number) => {
    const c = parseInt(colour.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

export function buildColourScale(values: readonly (number | null)[]): ColourScale | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return null;
  const max = Math.max(...present);
  const positives = present.filter((v) => v > 0);
  const minPositive = positives.length > 0 ? Math.min(...positives) : 0;
  const log = minPositive > 0 && max / minPositive >= LOG_RATIO;
  const min = log ? minPositive : Math.min(...present);
  const position = (v: number): number => {
    if (max === min) return 1;
    if (log) return v <= 0 ? 0 : (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
    return (v - min) / (max - min);
  };
  const stopValue = (t: number): number => (log ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))) : min + t * (max - min));
  const stops = max === min ? [{ value: max, colour: rampColour(1) }] : Array.from({ length: LEGEND_STOPS }, (_, k) => {
    const t = k / (LEGEND_STOPS - 1);
    return { value: stopValue(t), colour: rampColour(t) };
  });
  return {
    log,
    min,
    max,
    colourOf: (value) => (value === null || !Number.isFinite(value) ? null : rampColour(position(value))),
    stops,
  };
}
