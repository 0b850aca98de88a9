import { fork } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineSupervisor } from '../../engine/host/supervisor/index.js';
import { IPC_CANCEL, IPC_EVENT, IPC_REQUEST, request, type ProgressMessage } from '../../engine/protocol/index.js';
import { sampleCopy } from '../support/sample-copy.js';

// Electron's utilityProcess, played by Node's fork: the host entry speaks to either. Like
// Electron, it reports a process ended by a signal with the signal's number as exit code.
const forked: ReturnType<typeof fork>[] = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (entry: string, args: string[]) => {
      const child = fork(entry, args, { execArgv: ['--import', 'tsx'], stdio: 'inherit', serialization: 'advanced' });
      forked.push(child);
      return {
        pid: child.pid,
        postMessage: (m: unknown) => child.send(m as object),
        on: (e: string, l: (...a: unknown[]) => void) =>
          e === 'exit' ? child.on('exit', (code, signal) => l(code ?? constants.signals[signal as keyof typeof constants.signals])) : child.on(e, l),
        once: (e: string, l: (...a: unknown[]) => void) =>
          e === 'exit' ? child.once('exit', (code, signal) => l(code ?? constants.signals[signal as keyof typeof constants.signals])) : child.once(e, l),
        kill: () => child.kill(),
      };
    },
  },
}));

const { engineSupervisor } = await import('../../electron/main/engine-host.js');
const { relayIpc } = await import('../../electron/main/ipc-relay.js');
const ENTRY = join(import.meta.dirname, '../../engine/host/main.ts');
// bench.run saves into the model's workspace: a copy keeps the source tree clean.
const SAMPLE = sampleCopy();
const BENCH = { path: SAMPLE, options: { inputDims: { x: [1, 3, 48, 192] }, warmupRuns: 0, runs: 1_000_000 } };

const supervisors: EngineSupervisor[] = [];
function start(args: string[] = []): EngineSupervisor {
  const supervisor = engineSupervisor(ENTRY, args, { minLifetimeMs: 0, cancelGraceMs: 10_000 });
  supervisor.start();
  supervisors.push(supervisor);
  return supervisor;
}

/** ipcMain and two windows, enough to drive relayIpc as Electron would. */
function fakeIpc() {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const ipc = { handle: (channel: string, l: (...a: unknown[]) => unknown) => handlers.set(channel, l), on: (channel: string, l: (...a: unknown[]) => unknown) => handlers.set(channel, l) };
  const window = (id: number) => {
    const sent: unknown[] = [];
    const sender = { id, send: (channel: string, message: unknown) => sent.push(channel === IPC_EVENT ? message : { wrongChannel: channel }), isDestroyed: () => false, once: () => undefined, mainFrame: {} };
    return { sent, event: { sender, senderFrame: sender.mainFrame } };
  };
  return { ipc, handlers, window };
}

afterEach(() => {
  for (const supervisor of supervisors.splice(0)) supervisor.stop();
  for (const child of forked.splice(0)) child.kill();
});

describe('engine host in the main process (utilityProcess)', () => {
  it("answers under the caller's id and relays events", async () => {
    const supervisor = start([`--model=${SAMPLE}`]);
    const events: unknown[] = [];
    supervisor.onEvent((e) => events.push(e));
    const [a, b] = await Promise.all([supervisor.run(request(40, 'model.current', {})).response, supervisor.run(request(41, 'model.open', { path: SAMPLE })).response]);
    expect(a).toMatchObject({ id: 40, result: { fileName: 'ppocr-cls.onnx' } });
    expect(b).toMatchObject({ id: 41, result: { nodeCount: 471 } });
    expect(events).toMatchObject([{ type: 'event', event: 'model.opened' }]);
  });

  it("reads a signal from Electron's exit code, fails the waiting job, and restarts the host", async () => {
    const supervisor = start();
    await supervisor.run(request(1, 'model.current', {})).response;
    forked[0]!.kill('SIGSTOP');
    const waiting = supervisor.run(request(2, 'model.open', { path: SAMPLE })).response;
    forked[0]!.kill('SIGKILL');
    expect(await waiting).toMatchObject({ id: 2, error: { code: 'engine-crashed', message: expect.stringMatching(/^The engine was killed \(signal SIGKILL, possibly out of memory\) .* fresh engine/) } });
    expect(await supervisor.run(request(3, 'model.current', {})).response).toEqual({ type: 'response', id: 3, result: null });
    expect(forked).toHaveLength(2);
  });
});

describe('IPC relay', () => {
  it('sends each window the progress of its own requests, and lets only that window cancel them', async () => {
    const supervisor = start();
    const { ipc, handlers, window } = fakeIpc();
    relayIpc(ipc as never, supervisor, () => true);
    const a = window(1);
    const b = window(2);
    const invoke = handlers.get(IPC_REQUEST)!;
    const cancel = handlers.get(IPC_CANCEL)!;

    const bench = invoke(a.event, 'bench.run', BENCH, 7) as Promise<unknown>;
    await expect.poll(() => a.sent.some((m) => (m as ProgressMessage).progress?.stage === 'runs'), { timeout: 20_000 }).toBe(true);
    expect(a.sent.every((m) => (m as ProgressMessage).type === 'progress' && (m as ProgressMessage).id === 7)).toBe(true);
    cancel(b.event, 7);
    expect(await invoke(b.event, 'model.current', {}, 7)).toEqual({ type: 'response', id: 7, result: null });
    cancel(a.event, 7);
    expect(await bench).toMatchObject({ id: 7, error: { code: 'cancelled' } });
    expect(b.sent).toEqual([]);
  });

  it('refuses requests from untrusted frames and answers malformed ones readably', async () => {
    const supervisor = start();
    const { ipc, handlers, window } = fakeIpc();
    relayIpc(ipc as never, supervisor, (event) => event.sender.id === 1);
    const invoke = handlers.get(IPC_REQUEST)!;
    await expect(invoke(window(2).event, 'model.current', {}, 1)).rejects.toThrow(/did not come from the Whittle window/);
    expect(await invoke(window(1).event, 'model.open', { path: '' }, 3)).toMatchObject({ id: 3, error: { code: 'bad-request', message: expect.stringMatching(/must not be empty/) } });
    expect(await invoke(window(1).event, 'fs.read', {}, 4)).toMatchObject({ id: 4, error: { code: 'unknown-method' } });
  });
});
