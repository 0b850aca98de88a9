import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeTensor, type TensorSummary } from '../../engine/core/stats/index.js';
import { describe, expect, it } from 'vitest';
import { analyzeModel, type Analysis } from '../../engine/core/analysis/index.js';
import { summarizeModel } from '../../engine/core/graph/index.js';
import { findDevice } from '../../engine/core/hardware/index.js';
import { decodeModel } from '../../engine/core/onnx/index.js';
import {
  MAX_PATH_LENGTH,
  METHOD_NAMES,
  WorkbenchError,
  checkRequest,
  checkResult,
  checkServerMessage,
  requestId,
  type OpenedModelSummary,
} from '../../engine/protocol/index.js';
import { refusal } from '../support/refusal.js';

const SAMPLE = join(import.meta.dirname, '../../assets/samples/ppocr-cls.onnx');

/** A real summary as it arrives over the wire (JSON round trip). */
function wireSummary(): OpenedModelSummary {
  const summary = summarizeModel(decodeModel(readFileSync(SAMPLE)));
  return JSON.parse(JSON.stringify({ path: SAMPLE, fileName: 'ppocr-cls.onnx', ...summary })) as OpenedModelSummary;
}

describe('protocol: requests', () => {
  const open = (params: unknown, extra: object = {}) => ({ type: 'request', id: 1, method: 'model.open', params, ...extra });

  it('accepts every method with valid parameters', () => {
    expect([...METHOD_NAMES].sort()).toEqual(['bench.latest', 'bench.run', 'devices.list', 'model.analysis', 'model.current', 'model.node', 'model.open', 'model.tensor', 'model.weightStats', 'optimize.passes', 'optimize.run', 'variants.list']);
    expect(checkRequest(open({ path: '/models/a.onnx' }))).toEqual(open({ path: '/models/a.onnx' }));
    expect(checkRequest({ type: 'request', id: 0, method: 'model.current', params: {} }).method).toBe('model.current');
  });

  it('refuses unknown methods, including inherited property names', () => {
    for (const method of ['model.delete', '__proto__', 'toString', 'constructor']) {
      const err = refusal(() => checkRequest({ type: 'request', id: 1, method, params: {} }));
      expect(err.code).toBe('unknown-method');
    }
  });

  it.each([
    ['a number path', { path: 42 }, /path: must be a string/],
    ['a missing path', {}, /path: is missing/],
    ['an empty path', { path: '  ' }, /path: must not be empty/],
    ['an oversized path', { path: 'a'.repeat(MAX_PATH_LENGTH + 1) }, /longer than 4096/],
    ['an unknown field', { path: 'a.onnx', mode: 'rw' }, /unknown field "mode"/],
    ['an array', ['a.onnx'], /must be an object/],
    ['null', null, /must be an object/],
  ])('refuses %s as model.open params', (_name, params, message) => {
    const err = refusal(() => checkRequest(open(params)));
    expect(err.code).toBe('bad-request');
    expect(err.message).toMatch(message);
  });

  it('refuses parameters for a method that takes none', () => {
    expect(refusal(() => checkRequest({ type: 'request', id: 1, method: 'model.current', params: { x: 1 } })).code).toBe('bad-request');
  });

  it.each([
    ['a negative id', open({ path: 'a' }, { id: -1 })],
    ['a fractional id', open({ path: 'a' }, { id: 1.5 })],
    ['a string id', open({ path: 'a' }, { id: '1' })],
    ['another type', open({ path: 'a' }, { type: 'response' })],
    ['an extra envelope field', open({ path: 'a' }, { stack: 'x' })],
    ['a string', 'model.open'],
  ])('refuses a request with %s', (_name, message) => {
    expect(refusal(() => checkRequest(message)).code).toBe('bad-request');
  });

  it('finds the id of broken requests so they can be answered, and only valid ids', () => {
    expect(requestId({ id: 4, method: 'nope' })).toBe(4);
    expect(requestId({ id: -1 })).toBeNull();
    expect(requestId({ id: '4' })).toBeNull();
    expect(requestId('junk')).toBeNull();
    expect(requestId(null)).toBeNull();
  });
});

describe('protocol: responses, errors and events', () => {
  it('accepts an analysis with the nodes inside If/Loop/Scan bodies, and one from an engine without them', () => {
    const silero = decodeModel(readFileSync(join(import.meta.dirname, '../../node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx')));
    const a = JSON.parse(JSON.stringify(analyzeModel(silero, { device: findDevice('rpi5')!, inputDims: { input: [1, 512], state: [2, 1, 128] } }))) as Analysis;
    expect(a.subgraphNodes.length).toBeGreaterThan(0);
    expect(checkResult('model.analysis', a)).toBe(a);
    const { subgraphNodes: _, ...older } = a;
    expect(checkResult('model.analysis', older)).toBe(older);
    const broken = { ...a, subgraphNodes: [{ ...a.subgraphNodes[0]!, taken: 'yes' }] };
    expect(() => checkResult('model.analysis', broken)).toThrow(WorkbenchError);
  });

  it('accepts a weight summary as computed, and refuses one with impossible figures', () => {
    const summary = JSON.parse(JSON.stringify(summarizeTensor('float32', [4], Float32Array.of(0, 1, 2, NaN)))) as TensorSummary;
    expect(checkResult('model.weightStats', summary)).toEqual(summary);
    expect(() => checkResult('model.weightStats', { ...summary, stats: { ...summary.stats, sparsity: 2 } })).toThrow(/sparsity/);
    expect(() => checkResult('model.weightStats', { ...summary, histogram: { edges: [0, 'x'], counts: [1] } })).toThrow(WorkbenchError);
  });

  it('accepts a real model summary as the result of model.open and model.current', () => {
    const summary = wireSummary();
    expect(checkResult('model.open', summary)).toBe(summary);
    expect(checkResult('model.current', summary)).toBe(summary);
    expect(checkResult('model.current', null)).toBeNull();
    expect(() => checkResult('model.open', null)).toThrow(WorkbenchError);
  });

  it('keeps keys from model files such as __proto__ as plain keys', () => {
    const summary = JSON.parse(JSON.stringify(wireSummary()).replace('"metadata":{}', '"metadata":{"__proto__":"x","constructor":"y"}'));
    expect(Object.keys(checkResult('model.open', summary).metadata)).toEqual(['__proto__', 'constructor']);
  });

  it.each([
    ['a string node count', (s: Record<string, unknown>) => (s.nodeCount = '471')],
    ['a negative parameter count', (s: Record<string, unknown>) => (s.params = -1)],
    ['a missing field', (s: Record<string, unknown>) => delete s.opTypes],
    ['an unknown field', (s: Record<string, unknown>) => (s.html = '<b>')],
    ['an unknown severity', (s: Record<string, unknown>) => (s.findings = [{ severity: 'fatal', code: 'x', message: 'm', graphPath: 'graph' }])],
    ['a dim that is an object', (s: Record<string, unknown>) => (s.inputs = [{ name: 'x', dtype: 'float32', shape: [{}] }])],
  ])('refuses a summary with %s', (_name, spoil) => {
    const summary = wireSummary() as unknown as Record<string, unknown>;
    spoil(summary);
    const err = refusal(() => checkResult('model.open', summary));
    expect(err.code).toBe('internal');
    expect(err.message).toMatch(/^The workbench sent an invalid answer to model.open: result/);
  });

  it('reads error responses with a known code and a bounded message', () => {
    const error = { type: 'response', id: 3, error: { code: 'bad-model', message: 'a.onnx: truncated' } };
    expect(checkServerMessage(error)).toEqual(error);
    expect(() => checkServerMessage({ ...error, error: { code: 'EVIL', message: 'x' } })).toThrow(/code: must be one of/);
    expect(() => checkServerMessage({ ...error, error: { code: 'internal', message: 'x'.repeat(20_000) } })).toThrow(/longer than/);
    expect(() => checkServerMessage({ ...error, error: { code: 'internal', message: 'x', stack: 'at x' } })).toThrow(/unknown field "stack"/);
  });

  it('reads events with their payload checked, and refuses unknown events', () => {
    const summary = wireSummary();
    expect(checkServerMessage({ type: 'event', event: 'model.opened', payload: summary }).type).toBe('event');
    expect(() => checkServerMessage({ type: 'event', event: 'model.opened', payload: { ...summary, nodeCount: -2 } })).toThrow(WorkbenchError);
    expect(() => checkServerMessage({ type: 'event', event: 'shell.exec', payload: {} })).toThrow(/unknown event/);
  });
});
