import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The engine host as Electron's main process uses it, but forked by Node: same entry, same messages.
const ENTRY = join(import.meta.dirname, '../../../engine/host/main.ts');
const SAMPLE = join(import.meta.dirname, '../../../assets/samples/ppocr-cls.onnx');

describe('engine host process', () => {
  let host: ChildProcess;
  const received: unknown[] = [];

  function next(): Promise<unknown> {
    return new Promise((done) => host.once('message', done));
  }

  beforeAll(() => {
    host = fork(ENTRY, [`--model=${SAMPLE}`], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    host.on('message', (m) => received.push(m));
  });

  afterAll(() => {
    host?.kill();
  });

  it('answers model.current with the model given at start', async () => {
    const reply = next();
    host.send({ type: 'request', id: 5, method: 'model.current', params: {} });
    expect(await reply).toMatchObject({ type: 'response', id: 5, result: { fileName: 'ppocr-cls.onnx', nodeCount: 471 } });
  });

  it('sends an event, then the response, when a model is opened', async () => {
    const before = received.length;
    host.send({ type: 'request', id: 6, method: 'model.open', params: { path: SAMPLE } });
    await expect.poll(() => received.length).toBe(before + 2);
    expect(received.slice(before).map((m) => (m as { type: string }).type).sort()).toEqual(['event', 'response']);
  });

  it('answers bad requests with readable errors', async () => {
    const reply = next();
    host.send({ type: 'request', id: 7, method: 'model.open', params: { path: '' } });
    expect(await reply).toMatchObject({ id: 7, error: { code: 'bad-request', message: expect.stringMatching(/must not be empty/) } });
  });
});
