import type { ValueRef } from '../../../../engine/core/analysis/types.js';
import type { BenchmarkOptions } from '../../../../engine/protocol/index.js';
import { formatShape } from '../graph/dataflow.js';

/** The options form as typed: text fields stay text until the run is asked for. */
export interface BenchForm {
  /** Blank: as many threads as the engine may use. */
  readonly threads: string;
  readonly runs: string;
  readonly warmupRuns: string;
  readonly perNode: boolean;
}

export type BenchField = 'threads' | 'runs' | 'warmupRuns';

export type FormErrors = Partial<Record<BenchField, string>>;

export type FormResult = { readonly ok: true; readonly options: BenchmarkOptions } | { readonly ok: false; readonly errors: FormErrors };

export const DEFAULT_FORM: BenchForm = { threads: '', runs: '20', warmupRuns: '1', perNode: true };

/** Limits that catch typos; the engine checks its own. */
const LIMITS: Record<BenchField, { readonly min: number; readonly max: number; readonly what: string }> = {
  threads: { min: 1, max: 4096, what: 'Threads' },
  runs: { min: 1, max: 100_000, what: 'Runs' },
  warmupRuns: { min: 0, max: 10_000, what: 'Warm-up runs' },
};

/** The whole number typed in a field, or the sentence saying why it is not one the run can use. */
function wholeNumber(text: string, field: BenchField): number | string {
  const { min, max, what } = LIMITS[field];
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return `${what} must be a whole number from ${min} to ${max.toLocaleString('en-US')}.`;
  const n = Number(trimmed);
  return n < min || n > max ? `${what} must be from ${min} to ${max.toLocaleString('en-US')}.` : n;
}

/** The benchmark the form asks for, with the analysis' pinned input dims and the inputs given as files; or what to fix, per field. */
export function toBenchmarkOptions(form: BenchForm, inputDims: Readonly<Record<string, readonly (number | string)[]>>, inputFiles: Readonly<Record<string, string>> = {}): FormResult {
  const errors: FormErrors = {};
  const read = (field: BenchField): number | undefined => {
    const value = wholeNumber(form[field], field);
    if (typeof value === 'string') errors[field] = value;
    return typeof value === 'number' ? value : undefined;
  };
  const threads = form.threads.trim() === '' ? undefined : read('threads');
  const runs = read('runs');
  const warmupRuns = read('warmupRuns');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const options: BenchmarkOptions = {
    ...(threads === undefined ? {} : { intraOpThreads: threads }),
    runs,
    warmupRuns,
    perNode: form.perNode,
    ...(Object.keys(inputDims).length === 0 ? {} : { inputDims }),
    ...(Object.keys(inputFiles).length === 0 ? {} : { inputFiles }),
  };
  return { ok: true, options };
}

/** `x: 1×3×48×192` per graph input, symbolic dims by name, `sr: scalar`. */
export function inputSummary(inputs: readonly ValueRef[]): string {
  return inputs.map((i) => `${i.name}: ${formatShape(i.shape)}`).join(', ');
}
