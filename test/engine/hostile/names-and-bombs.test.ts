/**
 * Files that are valid protobuf but hostile in what they say: names that are JavaScript's own
 * (`__proto__`, `constructor`, `prototype`) in every place a file can name something; a tiny
 * ConstantOfShape bomb; and crafted wide graphs that once made `info` quadratic.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../engine/core/graph/index.js';
import { decodeModel, encodeModel } from '../../../engine/core/onnx/index.js';
import { CASE_TIME_LIMIT_MS, decodeCase } from './harness.js';
import * as pb from './pb.js';
import { Attribute as A, Graph as G, Node as N, Tensor as T } from './pb.js';
import { constantOfShapeBomb, NAMES, prototypeNamesModel } from './samples.js';

describe('names that are JavaScript object keys', () => {
  it('decode and summarize as plain names, with no prototype pollution and a correct info JSON', async () => {
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const bytes = prototypeNamesModel();
    const out = await decodeCase(bytes);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const model = out.value;
    const summary = summarizeModel(model);
    const json = JSON.stringify(summary);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);

    // The decoded IR holds the names as ordinary own values.
    expect(model.graph!.name).toBe('__proto__');
    expect(model.graph!.node.map((n) => n.name).filter((n) => n !== '')).toEqual([...NAMES]);
    expect(model.graph!.node[0]!.attribute.map((a) => a.name)).toEqual(['__proto__', 'polluted']);
    expect(model.metadataProps.map((e) => e.key)).toEqual([...NAMES, 'polluted']);
    expect(model.functions[0]).toMatchObject({ name: '__proto__', domain: 'constructor', input: ['prototype'] });

    const info = JSON.parse(json) as Record<string, unknown>;
    const own = (o: unknown): Record<string, unknown> => Object.fromEntries(Object.entries(o as object));
    // (Built from entries: an object literal's `__proto__: 1` would not make a key.)
    expect(own(info.opsets)).toEqual(Object.fromEntries([['ai.onnx', 17], ['__proto__', 1], ['constructor', 2], ['prototype', 3]]));
    expect(Object.keys(info.opTypes as object).sort()).toEqual(['__proto__.__proto__', 'constructor', 'constructor.constructor', 'prototype', 'prototype.prototype', '__proto__'].sort());
    expect(Object.values(info.opTypes as object)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Object.keys(info.metadata as object)).toEqual([...NAMES, 'polluted']);
    expect((info.metadata as Record<string, string>)['__proto__']).toBe('{"polluted": "__proto__"}');
    expect(info.inputs).toEqual(NAMES.map((name) => ({ name, dtype: 'float32', shape: [name, 2] })));
    expect(info.outputs).toEqual(NAMES.map((name) => ({ name: `${name}_y`, dtype: 'float32', shape: [name] })));
    expect(info).toMatchObject({ nodeCount: 6, params: 1, weightBytes: 4, functionCount: 1, graphName: '__proto__' });
    // Every node's domain is imported and every input is defined: the names confuse nothing.
    expect(info.findings).toEqual([]);

    // And they survive a re-encode.
    const again = decodeModel(encodeModel(model));
    expect(JSON.stringify(summarizeModel(again))).toBe(json);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a ConstantOfShape bomb (onnxruntime #28730)', () => {
  it('decodes and summarizes small: two nodes, two parameters, a few hundred bytes of info', async () => {
    const bytes = constantOfShapeBomb();
    expect(bytes.length).toBe(152);
    const out = await decodeCase(bytes);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const summary = summarizeModel(out.value);
    // Parameters count initializers and Constant nodes (the shape), not ConstantOfShape's fill value.
    expect(summary).toMatchObject({ nodeCount: 2, params: 2, weightBytes: 16, findings: [] });
    expect({ ...summary.opTypes }).toEqual({ Constant: 1, ConstantOfShape: 1 });
    expect(summary.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: [100000, 100000] }]);
    expect(JSON.stringify(summary).length).toBeLessThan(1024);
  });
});

/** Decodes and summarizes `bytes`, within the per-case time bound. */
function timedInfo(bytes: Uint8Array): { ms: number; findings: number } {
  const t0 = performance.now();
  const summary = summarizeModel(decodeModel(bytes));
  const ms = performance.now() - t0;
  expect(ms).toBeLessThan(CASE_TIME_LIMIT_MS);
  return { ms, findings: summary.findings.length };
}

describe('crafted wide graphs stay linear', () => {
  it('20 000 graph inputs and 20 000 initializers with different names (was 10 s)', () => {
    const fields: Uint8Array[] = [];
    for (let i = 0; i < 20_000; i++) fields.push(pb.ld(G.input, pb.ld(1, `a${i}`)));
    for (let i = 0; i < 20_000; i++) fields.push(pb.ld(G.initializer, pb.ld(T.name, `b${i}`)));
    timedInfo(pb.model(fields));
  });

  it('10 000 If nodes with subgraphs beside 10 000 named values (was 20 s: each subgraph copied every outer name)', () => {
    const fields: Uint8Array[] = [];
    for (let i = 0; i < 10_000; i++) {
      fields.push(pb.ld(G.node, pb.ld(N.output, `x${i}`), pb.ld(N.opType, 'If'), pb.ld(N.attribute, pb.ld(A.name, 'then_branch'), pb.vi(A.type, 5), pb.ld(A.g))));
    }
    timedInfo(pb.model(fields));
  });

  it('one If whose branch holds 10 000 If nodes (the hidden-input scan copied every name per nested graph)', () => {
    const inner: Uint8Array[] = [];
    for (let i = 0; i < 10_000; i++) {
      inner.push(pb.ld(G.node, pb.ld(N.output, `x${i}`), pb.ld(N.opType, 'If'), pb.ld(N.attribute, pb.ld(A.name, 'then_branch'), pb.vi(A.type, 5), pb.ld(A.g, pb.ld(G.node, pb.ld(N.input, 'outer'), pb.ld(N.opType, 'Relu'))))));
    }
    const outer = pb.ld(G.node, pb.ld(N.output, 'outer'), pb.ld(N.opType, 'Relu'));
    const branch = pb.ld(G.node, pb.ld(N.opType, 'If'), pb.ld(N.attribute, pb.ld(A.name, 'then_branch'), pb.vi(A.type, 5), pb.ld(A.g, pb.concat(inner))));
    expect(timedInfo(pb.model([outer, branch])).findings).toBe(0);
  });

  it('one node feeding 50 000 nodes placed before 50 000 free ones (topological order by insertion into a sorted array was quadratic)', () => {
    const fields: Uint8Array[] = [pb.ld(G.node, pb.ld(N.output, 'p'), pb.ld(N.opType, 'Relu'))];
    for (let i = 0; i < 50_000; i++) fields.push(pb.ld(G.node, pb.ld(N.input, 'p'), pb.ld(N.opType, 'Relu')));
    for (let i = 0; i < 50_000; i++) fields.push(pb.ld(G.node, pb.ld(N.opType, 'Relu')));
    timedInfo(pb.model(fields));
  });

  it('250 000 empty nodes (2 bytes each): bounded time, and under 450 bytes of heap per node (was 650)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const nodes = new Uint8Array(500_000);
    for (let i = 0; i < nodes.length; i += 2) nodes[i] = 0x0a;
    const bytes = pb.model([nodes]);
    gc();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const model = decodeModel(bytes);
    const ms = performance.now() - t0;
    gc();
    const perNode = (process.memoryUsage().heapUsed - before) / 250_000;
    expect(model.graph!.node.length).toBe(250_000);
    expect(ms).toBeLessThan(CASE_TIME_LIMIT_MS);
    expect(perNode).toBeLessThan(450);
  });
});
