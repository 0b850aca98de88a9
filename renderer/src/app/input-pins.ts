import type { ValueRef } from '../../../engine/core/analysis/types.js';
import type { InputDims } from '../store/analysis-slice.js';

/** A symbolic dim the user can pin, with the inputs and axes it appears at. */
export interface DimToPin {
  /** The dim's name, or `input[axis]` for an unnamed one. */
  readonly key: string;
  readonly label: string;
}

const keyOf = (input: string, axis: number, dim: string | number | null): string => (typeof dim === 'string' ? dim : `${input}[${axis}]`);

/** The symbolic and unknown dims of `inputs`, each once, in the order they appear. */
export function dimsToPin(inputs: readonly ValueRef[]): DimToPin[] {
  const seen = new Map<string, DimToPin>();
  for (const input of inputs) {
    input.shape?.forEach((dim, axis) => {
      if (typeof dim === 'number') return;
      const key = keyOf(input.name, axis, dim);
      if (!seen.has(key)) seen.set(key, { key, label: typeof dim === 'string' ? dim : `${input.name} dim ${axis}` });
    });
  }
  return [...seen.values()];
}

/**
 * Input dims for the analysis from the values typed for each dim key: whole numbers above 0
 * replace the dim; anything else leaves it as it was (its name, so it stays symbolic).
 */
export function pinnedDims(inputs: readonly ValueRef[], values: Readonly<Record<string, string>>): InputDims {
  const dims: Record<string, (number | string)[]> = {};
  for (const input of inputs) {
    if (input.shape === undefined || input.shape.every((d) => typeof d === 'number')) continue;
    dims[input.name] = input.shape.map((dim, axis) => {
      if (typeof dim === 'number') return dim;
      const typed = Number(values[keyOf(input.name, axis, dim)]?.trim());
      return Number.isSafeInteger(typed) && typed > 0 ? typed : (dim ?? `${input.name}_${axis}`);
    });
  }
  return dims;
}
