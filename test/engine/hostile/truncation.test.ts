/**
 * Real models cut short at many byte positions. Three families per model:
 *  - the file itself cut (a plain prefix): every length in the first 48 bytes, around the graph
 *    field's header, a spread over the whole file, and the last bytes;
 *  - the graph's payload cut, with the enclosing length rewritten so the graph reader meets the
 *    cut: every position of the first node's and first tensor's headers, and a spread;
 *  - the biggest tensor's payload cut the same way (inside its length varints and its bytes).
 * An independent walker says where each cut lands, so each case expects one exact outcome: a
 * `truncated` error with the exact field path, or (for a cut between fields) a clean model.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../../../engine/core/onnx/index.js';
import {
  CORPUS,
  corpusDirs,
  corpusExists,
  decodeCase,
  expectedCut,
  fieldsOf,
  messageSites,
  snapshotAll,
  truncateWithin,
  type MessageSite,
} from './harness.js';

beforeAll(corpusExists);

function spread(start: number, end: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) out.push(start + Math.floor(((end - start) * i) / (n + 1)));
  return out;
}

function range(start: number, end: number): number[] {
  const out: number[] = [];
  for (let p = start; p < end; p++) out.push(p);
  return out;
}

/** Cuts `site`'s payload at each position and checks the exact outcome; returns how many cases ran. */
async function cutInside(bytes: Uint8Array, site: MessageSite | undefined, positions: readonly number[]): Promise<{ cases: number; truncated: number; clean: number }> {
  const start = site ? site.span.payloadStart : 0;
  const end = site ? site.span.end : bytes.length;
  const type = site ? site.type : 'Model';
  const path = site ? site.path : '';
  const chain = site ? site.chain : [];
  let truncated = 0;
  let clean = 0;
  const unique = [...new Set(positions)].filter((p) => p > start && p < end).sort((a, b) => a - b);
  for (const cut of unique) {
    const input = truncateWithin(bytes, chain, cut);
    const expected = expectedCut(bytes, type, path, start, end, cut);
    const out = await decodeCase(input);
    const label = `${path || '(file)'} cut at ${cut - start} of ${end - start}`;
    if (expected.kind === 'truncated') {
      expect(out.ok, label).toBe(false);
      if (!out.ok) {
        expect({ label, code: out.error.code, fieldPath: out.error.fieldPath }).toEqual({ label, code: 'truncated', fieldPath: expected.fieldPath });
      }
      truncated++;
    } else {
      // Between two fields: the message simply has fewer fields. For the file itself, the model
      // is refused only if the graph field is not among the complete ones.
      if (type === 'Model') {
        const hasGraph = expected.complete.some((f) => f.no === 7);
        expect(out.ok, label).toBe(hasGraph);
        if (!out.ok) expect({ label, code: out.error.code, fieldPath: out.error.fieldPath }).toEqual({ label, code: 'bad-value', fieldPath: 'graph' });
      } else if (type === 'Graph' && site?.path === 'graph') {
        expect(out.ok, label).toBe(true);
        if (out.ok) expect(out.value.graph!.node.length, label).toBe(expected.complete.filter((f) => f.no === 1).length);
      } else if (!out.ok) {
        // A tensor that lost its data fields may be refused as a bad tensor, at its own path.
        expect({ label, code: out.error.code, fieldPath: out.error.fieldPath }).toEqual({ label, code: 'bad-tensor', fieldPath: path });
      }
      clean += out.ok ? 1 : 0;
    }
  }
  return { cases: unique.length, truncated, clean };
}

describe.each(CORPUS)('truncated $name', ({ path }) => {
  let bytes: Uint8Array;
  let sites: MessageSite[];
  beforeAll(() => {
    bytes = new Uint8Array(readFileSync(path));
    sites = messageSites(bytes);
  });

  it('the file cut at every length of its first 48 bytes, around the graph header, across the file, and at its end', async () => {
    const before = snapshotAll(corpusDirs());
    const top = fieldsOf(bytes, 0, bytes.length);
    const graph = top.find((f) => f.no === 7)!;
    const positions = [
      ...range(1, 48),
      ...range(graph.tagStart, graph.payloadStart + 4),
      ...spread(0, bytes.length, 40),
      ...range(bytes.length - 6, bytes.length),
    ];
    const n = await cutInside(bytes, undefined, positions);
    expect(n.cases).toBeGreaterThan(80);
    expect(n.truncated).toBeGreaterThan(0);
    // The empty prefix is its own case.
    const empty = await decodeCase(new Uint8Array(0));
    expect(!empty.ok && empty.error.code).toBe('empty');
    expect(snapshotAll(corpusDirs())).toEqual(before);
  });

  it('the graph payload cut inside the first node, the first tensor and across the graph', async () => {
    const graph = sites.find((s) => s.path === 'graph')!;
    const firstNode = sites.find((s) => s.path === 'graph.node[0]')!;
    const firstTensor = sites.find((s) => s.type === 'Tensor')!;
    const positions = [
      ...range(firstNode.span.tagStart, Math.min(firstNode.span.end, firstNode.span.payloadStart + 64)),
      ...range(firstTensor.chain[1]!.tagStart, firstTensor.chain[1]!.payloadStart + 8),
      ...spread(graph.span.payloadStart, graph.span.end, 48),
      graph.span.end - 1,
    ];
    const n = await cutInside(bytes, graph, positions);
    expect(n.cases).toBeGreaterThan(60);
    expect(n.truncated).toBeGreaterThan(0);
  });

  it('the biggest tensor cut inside its header, its length varints and its data', async () => {
    const tensors = sites.filter((s) => s.type === 'Tensor');
    const biggest = tensors.reduce((a, b) => (b.span.end - b.span.payloadStart > a.span.end - a.span.payloadStart ? b : a));
    const fields = fieldsOf(bytes, biggest.span.payloadStart, biggest.span.end);
    const data = fields.reduce((a, b) => (b.end - b.tagStart > a.end - a.tagStart ? b : a));
    const positions = [
      ...range(biggest.span.payloadStart, data.payloadStart + 2),
      ...spread(data.payloadStart, data.end, 24),
      data.end - 1,
      biggest.span.end - 1,
    ];
    const n = await cutInside(bytes, biggest, positions);
    expect(n.cases).toBeGreaterThan(30);
    expect(n.truncated).toBeGreaterThan(20);
    // The biggest tensor's data has a length varint of 3 or more bytes: cuts landed inside it.
    expect(data.payloadStart - data.valueStart).toBeGreaterThanOrEqual(3);
  });

  it('the whole file still decodes (the cuts above are the only difference)', () => {
    expect(decodeModel(bytes).graph).toBeDefined();
  });
});
