/**
 * Seeded byte mutations of real models: bit flips, random bytes, inserted and deleted runs, and
 * runs of 0xff (varints that never end). Half the positions are the bytes of protobuf tags and
 * length prefixes (found by an independent walker), half anywhere. Each mutant must decode to
 * a clean model (one that summarizes and re-encodes) or give a typed error, within the time
 * bound; nothing else may escape. Deterministic: the same seeds give the same mutants.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, corpusDirs, corpusExists, decodeCase, fieldsOf, messageSites, prng, randomInt, snapshotAll } from './harness.js';

beforeAll(corpusExists);

const BATCHES = 5;
const PER_BATCH = 10;

/** Positions of every tag and length byte of the messages the walker knows. */
function structuralPositions(bytes: Uint8Array): number[] {
  const out: number[] = [];
  const add = (start: number, end: number): void => {
    for (const f of fieldsOf(bytes, start, end)) for (let p = f.tagStart; p < f.payloadStart; p++) out.push(p);
  };
  add(0, bytes.length);
  for (const site of messageSites(bytes)) add(site.span.payloadStart, site.span.end);
  return out;
}

type Op = 'flip' | 'set' | 'insert' | 'delete' | 'ff-run';
const OPS: readonly Op[] = ['flip', 'set', 'insert', 'delete', 'ff-run'];

function mutate(bytes: Uint8Array, structural: readonly number[], seed: number): { bytes: Uint8Array; ops: string[] } {
  const rand = prng(seed);
  let out = bytes.slice();
  const ops: string[] = [];
  const count = 1 + randomInt(rand, 4);
  for (let k = 0; k < count; k++) {
    const op = OPS[randomInt(rand, OPS.length)]!;
    // Structural positions refer to the original layout; after an insert or delete they drift a
    // little, which only makes the mutants more varied.
    const pos = Math.min(out.length - 1, rand() < 0.5 ? structural[randomInt(rand, structural.length)]! : randomInt(rand, out.length));
    const n = 1 + randomInt(rand, 8);
    const filler = Uint8Array.from({ length: n }, () => randomInt(rand, 256));
    switch (op) {
      case 'flip':
        out[pos] = out[pos]! ^ (1 << randomInt(rand, 8));
        break;
      case 'set':
        out[pos] = randomInt(rand, 256);
        break;
      case 'insert': {
        const next = new Uint8Array(out.length + n);
        next.set(out.subarray(0, pos));
        next.set(filler, pos);
        next.set(out.subarray(pos), pos + n);
        out = next;
        break;
      }
      case 'delete': {
        const next = new Uint8Array(out.length - Math.min(n, out.length - pos));
        next.set(out.subarray(0, pos));
        next.set(out.subarray(pos + n), pos);
        out = next;
        break;
      }
      case 'ff-run':
        out.fill(0xff, pos, Math.min(out.length, pos + 11 + n));
        break;
    }
    ops.push(`${op}@${pos}`);
  }
  return { bytes: out, ops };
}

describe.each(CORPUS.map((c, i) => ({ ...c, index: i })))('mutated $name', ({ path, index }) => {
  let bytes: Uint8Array;
  let structural: number[];
  const tally = { errors: 0, clean: 0 };
  beforeAll(() => {
    bytes = new Uint8Array(readFileSync(path));
    structural = structuralPositions(bytes);
  });

  it.each(Array.from({ length: BATCHES }, (_, b) => b))(`mutants batch %i (${PER_BATCH} seeded mutants)`, async (batch) => {
    const before = snapshotAll(corpusDirs());
    for (let j = 0; j < PER_BATCH; j++) {
      const seed = 0x5eed0000 + index * 1000 + batch * PER_BATCH + j;
      const mutant = mutate(bytes, structural, seed);
      const out = await decodeCase(mutant.bytes);
      if (out.ok) tally.clean++;
      else tally.errors++;
    }
    expect(snapshotAll(corpusDirs())).toEqual(before);
  });

  it('the mutants hit both outcomes (refusals and still-valid models)', () => {
    expect(tally.errors + tally.clean).toBe(BATCHES * PER_BATCH);
    expect(tally.errors).toBeGreaterThan(0);
    expect(tally.clean).toBeGreaterThan(0);
  });
});
