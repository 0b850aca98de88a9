import { fork } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { request } from '../../engine/protocol/index.js';

// Electron's utilityProcess, played by Node's fork: the host entry speaks to either.
const forked: ReturnType<typeof fork>[] = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (entry: string, args: string[]) => {
      const child = fork(entry, args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      forked.push(child);
      return { postMessage: (m: unknown) => child.send(m as object), on: (e: string, l: (...a: unknown[]) => void) => child.on(e, l), kill: () => child.kill() };
    },
  },
}));

const { EngineHost } = await import('../../electron/main/engine-host.js');
const ENTRY = join(import.meta.dirname, '../../engine/host/main.ts');
const SAMPLE = join(import.meta.dirname, '../../assets/samples/ppocr-cls.onnx');

describe('EngineHost (main process side)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    for (const child of forked.splice(0)) child.kill();
  });

  it("answers under the caller's id and relays events", async () => {
    const events: unknown[] = [];
    const host = new EngineHost(ENTRY, [`--model=${SAMPLE}`], (e) => events.push(e));
    host.start();
    const [a, b] = await Promise.all([host.request(request(40, 'model.current', {})), host.request(request(41, 'model.open', { path: SAMPLE }))]);
    expect(a).toMatchObject({ id: 40, result: { fileName: 'ppocr-cls.onnx' } });
    expect(b).toMatchObject({ id: 41, result: { nodeCount: 471 } });
    expect(events).toMatchObject([{ type: 'event', event: 'model.opened' }]);
    host.stop();
  });

  it('fails waiting requests when the host dies, and restarts a host that had been running', async () => {
    const host = new EngineHost(ENTRY, [], () => undefined);
    host.start();
    await host.request(request(1, 'model.current', {}));
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    const waiting = host.request(request(2, 'model.open', { path: SAMPLE }));
    forked[0]!.kill('SIGKILL');
    expect(await waiting).toMatchObject({ id: 2, error: { code: 'internal', message: expect.stringMatching(/stopped unexpectedly .* restarted/) } });
    expect(await host.request(request(3, 'model.current', {}))).toEqual({ type: 'response', id: 3, result: null });
    host.stop();
  });

  it('gives up on a host that dies right after starting', async () => {
    const host = new EngineHost(ENTRY, [], () => undefined);
    host.start();
    const waiting = host.request(request(1, 'model.current', {}));
    forked[0]!.kill('SIGKILL');
    expect(await waiting).toMatchObject({ error: { code: 'internal' } });
    expect(await host.request(request(2, 'model.current', {}))).toMatchObject({ id: 2, error: { message: expect.stringMatching(/not running/) } });
  });
});
