/**
 * The optimize contract: what `whittle optimize` prints and the workbench's Optimize action shows.
 * A preview runs the passes and the analyses only; applying also writes the variant into the
 * workspace, checks its outputs against the original's, and optionally measures both.
 */
import type { Change, ChangeKind, PassId } from '../core/optimize/types.js';
import type { BenchmarkInput, BenchmarkOptions } from './benchmark.js';
import { benchmarkOptions, inputDims, inputFiles } from './benchmark-checks.js';
import { boolean, count, finiteNumber, list, nonBlank, nullable, object, oneOf, optional, text, ValidationError, type Validator } from './validate.js';
import { listedVariant, type ListedVariant } from './variants.js';

/** A model's cost at the pinned dims on the chosen device, as `whittle profile` counts it. */
export interface ModelFigures {
  /** Nodes other than Constants (which hold weights, not work), If/Loop/Scan bodies included. */
  readonly nodes: number;
  readonly params: number;
  readonly weightBytes: number;
  readonly macs: number;
  readonly flops: number;
  /** Σ bytes read + written by every node: compulsory traffic of one run. */
  readonly trafficBytes: number;
  readonly peakActivationBytes: number;
  /** Roofline lower bound on the device; uncounted nodes are not in it. */
  readonly predictedMs: number;
  readonly uncountedNodes: number;
}

/** One output of the variant against the same output of the original, on the same inputs. */
export interface OutputAgreement {
  readonly output: string;
  readonly maxAbsError: number;
  /** max |original output|: the scale the error is judged against. */
  readonly maxAbs: number;
}

/** The variant and the original run in onnxruntime on the same seeded inputs. */
export type FidelityCheck =
  | { readonly checked: true; readonly inputs: readonly BenchmarkInput[]; readonly outputs: readonly OutputAgreement[]; readonly worstRelativeError: number; readonly tolerance: number; readonly passed: boolean }
  | { readonly checked: false; readonly reason: string };

/** Latency of the original and the variant, measured in alternating rounds of one run. */
export interface LatencyComparison {
  readonly rounds: number;
  readonly runsPerRound: number;
  readonly intraOpThreads: number;
  /** Median over rounds of each round's median, ms. */
  readonly beforeMs: number;
  readonly afterMs: number;
  /** beforeMs ÷ afterMs. */
  readonly speedup: number;
  readonly beforeRoundsMs: readonly number[];
  readonly afterRoundsMs: readonly number[];
}

/** A pass as the Optimize action lists it. */
export interface PassInfo {
  readonly id: PassId;
  readonly title: string;
  readonly summary: string;
}


export interface OptimizeParams {
  /** Passes to run, in order; default every pass in the default order. */
  readonly passes?: readonly PassId[];
  readonly inputDims?: Readonly<Record<string, readonly (number | string)[]>>;
  /** Tensors for the output check by input name: `.npy` or `.json` files, as for benchmarks; other inputs are seeded random. */
  readonly inputFiles?: Readonly<Record<string, string>>;
  /** Device the figures' predicted time is for; default this machine. */
  readonly deviceId?: string;
  /** False: only say what would change. True: write the variant, check it, record it. */
  readonly apply: boolean;
  /** With apply: also measure the original and the variant, side by side. */
  readonly bench?: BenchmarkOptions;
}

export interface OptimizeReport {
  /** Absolute path of the model that was optimized. */
  readonly path: string;
  readonly passes: readonly PassId[];
  readonly rounds: number;
  readonly changes: readonly Change[];
  readonly deviceId: string;
  /** The pinned input dims the passes and the figures used. */
  readonly inputDims: Readonly<Record<string, readonly (number | string)[]>>;
  readonly before: ModelFigures;
  readonly after: ModelFigures;
  /** The workspace the variant was recorded in. */
  readonly workspace: string;
  /** Where the variant was also written at the user's request (`-o`); null otherwise. */
  readonly output: string | null;
  /** Null for a preview, or when nothing changed (no variant is made of an unchanged model). */
  readonly variant: ListedVariant | null;
  readonly fidelity: FidelityCheck;
  readonly latency: LatencyComparison | null;
}

/** The error a variant's outputs may have, relative to the largest output magnitude. */
export const FIDELITY_TOLERANCE = 1e-4;

const MAX_NAME = 65_536;
const MAX_ITEMS = 10_000_000;

/** Pass names are checked by the engine, which knows them (see `optimize.passes`); here only their form. */
const passId = nonBlank(40) as Validator<PassId>;
const MAX_PASSES = 64;

export const passInfoList: Validator<readonly PassInfo[]> = list(object({ id: passId, title: text(200), summary: text(2000) }), MAX_PASSES);
const kinds: readonly ChangeKind[] = ['removed', 'folded', 'merged', 'rewritten'];

function exactly<const T extends boolean>(want: T): Validator<T> {
  return (value, at) => {
    if (value !== want) throw new ValidationError(at, `must be ${want}`);
    return want;
  };
}

const change: Validator<Change> = object({
  pass: passId,
  kind: oneOf(kinds),
  nodes: list(text(MAX_NAME), MAX_ITEMS),
  into: optional(text(MAX_NAME)),
  detail: text(MAX_NAME),
  graphPath: text(MAX_NAME),
  atInputDims: optional(exactly(true)),
});

const figures: Validator<ModelFigures> = object({
  nodes: count,
  params: count,
  weightBytes: count,
  macs: count,
  flops: count,
  trafficBytes: count,
  peakActivationBytes: count,
  predictedMs: finiteNumber,
  uncountedNodes: count,
});

const input: Validator<BenchmarkInput> = object({ name: text(MAX_NAME), dtype: text(100), dims: list(count, 64), source: text(MAX_NAME) });


const fidelity: Validator<FidelityCheck> = (value, at) =>
  (value as { checked?: unknown } | null)?.checked === true
    ? object({
        checked: exactly(true),
        inputs: list(input, 10_000),
        outputs: list(object({ output: text(MAX_NAME), maxAbsError: finiteNumber, maxAbs: finiteNumber }), 10_000),
        worstRelativeError: finiteNumber,
        tolerance: finiteNumber,
        passed: boolean,
      })(value, at)
    : object({ checked: exactly(false), reason: text(MAX_NAME) })(value, at);

const latency: Validator<LatencyComparison> = object({
  rounds: count,
  runsPerRound: count,
  intraOpThreads: count,
  beforeMs: finiteNumber,
  afterMs: finiteNumber,
  speedup: finiteNumber,
  beforeRoundsMs: list(finiteNumber, 1000),
  afterRoundsMs: list(finiteNumber, 1000),
});


/** The variants of the current model's workspace, as `variants.list` answers. */
export interface VariantList {
  readonly workspace: string;
  readonly variants: readonly ListedVariant[];
}

export const variantList: Validator<VariantList> = object({ workspace: text(4096), variants: list(listedVariant, 100_000) });

export const optimizeParams: Validator<OptimizeParams> = object({
  passes: optional(list(passId, MAX_PASSES)),
  inputDims: optional(inputDims),
  inputFiles: optional(inputFiles),
  deviceId: optional(nonBlank(200)),
  apply: boolean,
  bench: optional(benchmarkOptions),
});

export const optimizeReport: Validator<OptimizeReport> = object({
  path: text(4096),
  passes: list(passId, MAX_PASSES),
  rounds: count,
  changes: list(change, MAX_ITEMS),
  deviceId: text(200),
  inputDims,
  before: figures,
  after: figures,
  workspace: text(4096),
  output: nullable(text(4096)),
  variant: nullable(listedVariant),
  fidelity,
  latency: nullable(latency),
});

/** A figure's change as the CLI and the workbench both print it: `−12.5%`, `+3.0%`, `new`, or '' when unchanged. */
export function percentChange(before: number, after: number): string {
  if (before === after) return '';
  if (before === 0) return 'new';
  const change = (after - before) / before;
  return `${change > 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)}%`;
}

/**
 * The warning a report needs when some rewrite used shapes that follow from the pinned input dims
 * (the variant then runs at those dims only), as the CLI and the workbench both say it; null otherwise.
 */
export function pinnedDimsNote(report: Pick<OptimizeReport, 'changes' | 'inputDims'>): string | null {
  const n = report.changes.filter((c) => c.atInputDims).length;
  if (n === 0) return null;
  const dims = Object.entries(report.inputDims).map(([name, d]) => `${name} ${d.join('×')}`).join(', ');
  return `The result runs at the input dims it was made for only (${dims}): ${n} constant fold${n === 1 ? '' : 's'} used the shapes they give. To keep dims open, leave them unpinned or drop fold-constants.`;
}
