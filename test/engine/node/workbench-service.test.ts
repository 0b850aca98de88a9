import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../engine/core/analysis/index.js';
import { summarizeModel } from '../../../engine/core/graph/index.js';
import { DEVICE_CATALOG, findDevice } from '../../../engine/core/hardware/index.js';
import { openModelFile } from '../../../engine/node/model-file.js';
import { WorkbenchService, answer } from '../../../engine/node/workbench-service.js';
import { WorkbenchError, type EventMessage } from '../../../engine/protocol/index.js';
import { sampleCopy } from '../../support/sample-copy.js';

const SAMPLE = join(import.meta.dirname, '../../../assets/samples/ppocr-cls.onnx');

describe('WorkbenchService', () => {
  let dir: string;
  let bad: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'whittle-service-'));
    bad = join(dir, 'bad.onnx');
    await writeFile(bad, Buffer.from([0x0b, 0x0c, 0x0d, 0x0e]));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('opens a model: the engine summary plus where it came from, and announces it', async () => {
    const service = new WorkbenchService();
    const events: EventMessage[] = [];
    service.onEvent((e) => events.push(e));
    expect(await service.call('model.current', {})).toBeNull();
    const opened = await service.call('model.open', { path: SAMPLE });
    expect(opened).toEqual({ path: SAMPLE, fileName: 'ppocr-cls.onnx', ...summarizeModel((await openModelFile(SAMPLE)).model) });
    expect(await service.call('model.current', {})).toBe(opened);
    expect(events).toEqual([{ type: 'event', event: 'model.opened', payload: opened }]);
  });

  it('keeps the current model when another fails to open', async () => {
    const service = new WorkbenchService();
    const opened = await service.call('model.open', { path: SAMPLE });
    await expect(service.call('model.open', { path: bad })).rejects.toMatchObject({ code: 'bad-model' });
    expect(await service.call('model.current', {})).toBe(opened);
  });

  it.each([
    ['a malformed file', () => bad, 'bad-model', /^bad\.onnx: /],
    ['a missing file', () => join(dir, 'none.onnx'), 'not-found', /^none\.onnx: no such file/],
    ['a folder', () => dir, 'bad-model', /is not a file/],
  ])('refuses %s with a readable error', async (_name, path, code, message) => {
    const err = await new WorkbenchService().call('model.open', { path: path() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toMatch(message);
  });

  it('keeps each benchmark in the model workspace and finds the newest for the file as it is now', async () => {
    const model = sampleCopy();
    const service = new WorkbenchService();
    expect(await service.call('bench.latest', { path: model })).toBeNull();
    const result = await service.call('bench.run', { path: model, options: { inputDims: { x: [1, 3, 48, 64] }, runs: 3, intraOpThreads: 1 } });
    expect(await readdir(join(dirname(model), 'ppocr-cls.whittle', 'benchmarks'))).toHaveLength(1);
    await service.call('model.open', { path: model });
    expect(await service.call('bench.latest', {})).toEqual(result);
    // A changed file is another model: its old measurements no longer describe it.
    await appendFile(model, Buffer.from([0]));
    expect(await service.call('bench.latest', {})).toBeNull();
  });

  it('analyzes the current model for a device, as the engine does, and refuses bad pins and devices readably', async () => {
    const service = new WorkbenchService();
    await expect(service.call('model.analysis', {})).rejects.toMatchObject({ code: 'not-found' });
    await service.call('model.open', { path: SAMPLE });
    const inputDims = { x: [1, 3, 48, 192] };
    const result = await service.call('model.analysis', { inputDims, deviceId: 'rpi5' });
    const rpi5 = findDevice('rpi5')!;
    expect(result).toEqual(analyzeModel((await openModelFile(SAMPLE)).model, { inputDims, device: rpi5, compareWith: DEVICE_CATALOG.filter((d) => d.id !== 'rpi5') }));
    expect(result.nodes).toHaveLength(471);
    await expect(service.call('model.analysis', { inputDims, deviceId: 'toaster' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/unknown device "toaster"/) });
    await expect(service.call('model.analysis', { inputDims: { x: [1, 3] }, deviceId: 'rpi5' })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('gives a node with its attributes written out, by its name in the analysis', async () => {
    const service = new WorkbenchService();
    await service.call('model.open', { path: SAMPLE });
    const conv = await service.call('model.node', { name: 'p2o.Conv.0' });
    expect(conv).toMatchObject({ name: 'p2o.Conv.0', opType: 'Conv', domain: '' });
    expect(conv.attributes).toContainEqual({ name: 'kernel_shape', type: 'ints', value: '[3, 3]' });
    expect(conv.attributes).toContainEqual({ name: 'strides', type: 'ints', value: '[2, 2]' });
    await expect(service.call('model.node', { name: 'nope' })).rejects.toMatchObject({ code: 'not-found', message: 'The model has no node "nope".' });
  });

  it('finds nodes inside If bodies too, as the graph view shows them', async () => {
    const service = new WorkbenchService();
    await service.call('model.open', { path: join(import.meta.dirname, '../../../node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx') });
    const analysis = await service.call('model.analysis', { inputDims: { input: [1, 512], state: [2, 1, 128] }, deviceId: 'rpi5' });
    const conv = analysis.subgraphNodes.find((n) => n.opType === 'Conv' && n.taken)!;
    expect(conv.graphPath).toBe('If_0/then_branch');
    const details = await service.call('model.node', { name: conv.name });
    expect(details).toMatchObject({ name: conv.name, opType: 'Conv', inputs: conv.inputs.map((i) => i.name) });
    expect(details.attributes.map((a) => a.name)).toContain('kernel_shape');
  });

  it('lists the catalog devices, and this machine once it has been measured', async () => {
    const { devices, thisMachineMeasured } = await new WorkbenchService().call('devices.list', {});
    const ids = devices.map((d) => d.id);
    for (const d of DEVICE_CATALOG) expect(ids).toContain(d.id);
    expect(ids.includes('this-machine')).toBe(thisMachineMeasured);
  });

  it('answers model.current with why the model given at start failed', async () => {
    const service = new WorkbenchService();
    service.openAtStart(bad);
    await expect(service.call('model.current', {})).rejects.toMatchObject({ code: 'bad-model', message: expect.stringMatching(/^bad\.onnx: /) });
  });

  it('answers messages: results, readable errors, and nothing for messages without an id', async () => {
    const service = new WorkbenchService();
    service.openAtStart(SAMPLE);
    const ok = await answer(service, { type: 'request', id: 1, method: 'model.current', params: {} });
    expect(ok).toMatchObject({ type: 'response', id: 1, result: { fileName: 'ppocr-cls.onnx' } });
    expect(await answer(service, { type: 'request', id: 2, method: 'model.open', params: { path: bad } })).toEqual({
      type: 'response',
      id: 2,
      error: { code: 'bad-model', message: expect.stringMatching(/^bad\.onnx: /) },
    });
    expect(await answer(service, { type: 'request', id: 3, method: 'nope', params: {} })).toMatchObject({ id: 3, error: { code: 'unknown-method' } });
    expect(await answer(service, 'junk')).toBeNull();
  });
});
