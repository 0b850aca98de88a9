/** Builders for the Work rules return, so every formula reads the same way. */
import type { Work } from './context.js';
import { dimsText, fmt } from './format.js';

/** One summand of a FLOP count: its text with the numbers used, and its value. */
export interface Term {
  readonly text: string;
  readonly flops: number;
}

/** `count × weight (what)`, e.g. `|Y| 1·64·56·56 × 1 (Add)`. */
export function perElement(name: string, shape: readonly number[], count: number, weight: number, what: string): Term {
  return { text: `${name} ${dimsText(shape)} × ${weight} (${what})`, flops: count * weight };
}

function sum(terms: readonly Term[]): number {
  return terms.reduce((a, t) => a + t.flops, 0);
}

/** Element-wise work only: FLOPs = the terms' sum. */
export function elementWork(terms: readonly Term[]): Work {
  const flops = sum(terms);
  return { flops, formula: `FLOPs = ${terms.map((t) => t.text).join(' + ')} = ${fmt(flops)}` };
}

/** Multiply-accumulate work: FLOPs = 2 × MACs plus the element-wise terms (bias, activation, requantization). */
export function macWork(macs: number, macsText: string, terms: readonly Term[] = []): Work {
  const flops = 2 * macs + sum(terms);
  const extra = terms.map((t) => ` + ${t.text}`).join('');
  return { macs, flops, formula: `MACs = ${macsText} = ${fmt(macs)}; FLOPs = 2 × MACs${extra} = ${fmt(flops)}` };
}

/** Work that moves bytes and computes nothing. */
export function movementWork(what: string, readBytes: number, writeBytes: number): Work {
  return { flops: 0, readBytes, writeBytes, formula: `0 FLOPs: ${what}; reads ${fmt(readBytes)} B, writes ${fmt(writeBytes)} B` };
}
