import type { InputDims } from '../store/analysis-slice.js';

const PREFIX = 'whittle.pins:';

/** Where pins are kept between visits; absent (private mode, a sandbox without storage) means they are not. */
export type PinStorage = Pick<Storage, 'getItem' | 'setItem'>;

function defaultStorage(): PinStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Keeps the input dims last pinned for a model, by its path, so that reopening it needs no pins. */
export function rememberPins(modelPath: string, dims: InputDims, storage: PinStorage | undefined = defaultStorage()): void {
  if (Object.keys(dims).length === 0) return;
  try {
    storage?.setItem(PREFIX + modelPath, JSON.stringify(dims));
  } catch {
    // A full or refused storage only costs the user typing the pins again.
  }
}

/** The dims last pinned for the model, when they were kept and still read as dims. */
export function recallPins(modelPath: string, storage: PinStorage | undefined = defaultStorage()): InputDims | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage?.getItem(PREFIX + modelPath) ?? 'null');
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const entries = Object.entries(parsed as Record<string, unknown>);
  const valid = entries.every(([, dims]) => Array.isArray(dims) && dims.every((d) => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || (typeof d === 'string' && d !== '')));
  return valid && entries.length > 0 ? (parsed as InputDims) : null;
}
