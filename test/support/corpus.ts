import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ort } from './ort.js';

/** Project root (tests run from it; paths in models.json are relative to it). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface ValueExpectation {
  readonly name: string;
  readonly dtype: string;
  readonly shape?: readonly (number | string | null)[];
}

/** How to make one input: a fixed value, or seeded uniform values in [min, max). */
export interface InputSpec {
  readonly dtype: 'float32' | 'int64';
  readonly shape: readonly number[];
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
}

export interface CorpusModel {
  readonly id: string;
  readonly path: string;
  readonly source: string;
  readonly sha256: string;
  readonly expect: {
    readonly irVersion: number;
    readonly opsets: Readonly<Record<string, number>>;
    readonly producer: { readonly name: string; readonly version: string };
    readonly inputs: readonly ValueExpectation[];
    readonly outputs: readonly ValueExpectation[];
    readonly nodeCount: number;
    readonly subgraphCount: number;
    readonly opTypes: Readonly<Record<string, number>>;
    readonly params: number;
    readonly weightBytes: number;
    /** Codes of the validation findings the model must give (usually none). */
    readonly findings: readonly string[];
  };
  /** What `whittle profile` must show at the first run's input dims. */
  readonly analysis: { readonly macs: number; readonly unknownShapeNodes: number; readonly uncountedNodes: number };
  readonly run: readonly Readonly<Record<string, InputSpec>>[];
  /** What the folding passes must do to it (see the manifest's truth.optimize). */
  readonly optimize?: { readonly folds: Readonly<Record<string, number>> };
}

export function loadCorpus(): CorpusModel[] {
  const manifest = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'test/fixtures/models.json'), 'utf8')) as { models: CorpusModel[] };
  return manifest.models;
}

export function corpusPath(m: CorpusModel): string {
  return resolve(PROJECT_ROOT, m.path);
}

/** mulberry32: a small seeded generator, so every run feeds the same "random" inputs. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The feeds for one run of a corpus model, reproducible from `seed`. */
export function makeFeeds(specs: Readonly<Record<string, InputSpec>>, seed: number): Record<string, ort.Tensor> {
  const next = generator(seed);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const draw = (): number => (spec.value !== undefined ? spec.value : (spec.min ?? 0) + next() * ((spec.max ?? 1) - (spec.min ?? 0)));
    feeds[name] =
      spec.dtype === 'int64'
        ? new ort.Tensor('int64', BigInt64Array.from({ length: count }, () => BigInt(Math.round(draw()))), spec.shape)
        : new ort.Tensor('float32', Float32Array.from({ length: count }, draw), spec.shape);
  }
  return feeds;
}
