import { afterEach, describe, expect, it } from 'vitest';
import { tensorValues } from '../../../engine/core/onnx/index.js';
import { forkEngineHost } from '../../../engine/host/fork-host.js';
import { openModelFile } from '../../../engine/node/model-file.js';
import { EngineSupervisor, SupervisorCaller, type SupervisorOptions } from '../../../engine/host/supervisor/index.js';
import { request, type EventMessage, type JobProgress, type ResponseMessage } from '../../../engine/protocol/index.js';
import { sampleCopy } from '../../support/sample-copy.js';

// Real engine host processes, crashed and hung on purpose with real signals.
// bench.run saves into the model's workspace: a copy keeps the source tree clean.
const SAMPLE = sampleCopy();
const QUICK: SupervisorOptions = { cancelGraceMs: 500, heartbeatMs: 200, hangAfterMs: 1500, minLifetimeMs: 0 };

const running: EngineSupervisor[] = [];
let pids: number[] = [];

function supervise(options: SupervisorOptions = QUICK, args: string[] = []): EngineSupervisor {
  const supervisor = new EngineSupervisor(() => {
    const host = forkEngineHost(args);
    pids.push(host.pid!);
    return host;
  }, options);
  supervisor.start();
  running.push(supervisor);
  return supervisor;
}

const currentPid = () => pids.at(-1)!;
/** ppocr-cls takes N×3×48×192 images. */
const INPUT_DIMS = { x: [1, 3, 48, 192] };
const longBench = (id: number) => request(id, 'bench.run', { path: SAMPLE, options: { inputDims: INPUT_DIMS, warmupRuns: 1, runs: 1_000_000 } });

/** Resolves with the first progress of the timed runs: the host is busy in onnxruntime. */
function startLongBench(supervisor: EngineSupervisor, id = 1): { response: Promise<ResponseMessage>; timing: Promise<void>; cancel: () => void } {
  let started!: () => void;
  const timing = new Promise<void>((done) => (started = done));
  const job = supervisor.run(longBench(id), (p) => p.stage === 'runs' && started());
  return { response: job.response, timing, cancel: job.cancel };
}

afterEach(() => {
  for (const supervisor of running.splice(0)) supervisor.stop();
  pids = [];
});

describe('engine supervisor: jobs', () => {
  it("answers under the caller's id and relays events", async () => {
    const supervisor = supervise(QUICK, [`--model=${SAMPLE}`]);
    const events: EventMessage[] = [];
    supervisor.onEvent((e) => events.push(e));
    const [a, b] = await Promise.all([supervisor.run(request(40, 'model.current', {})).response, supervisor.run(request(40, 'model.open', { path: SAMPLE })).response]);
    expect(a).toMatchObject({ id: 40, result: { fileName: 'ppocr-cls.onnx' } });
    expect(b).toMatchObject({ id: 40, result: { nodeCount: 471 } });
    expect(events).toMatchObject([{ type: 'event', event: 'model.opened', payload: { fileName: 'ppocr-cls.onnx' } }]);
  });

  it('reports the progress of a real bench.run in order, fractions in [0, 1], then its result', async () => {
    const supervisor = supervise();
    const seen: JobProgress[] = [];
    const reply = await supervisor.run(request(3, 'bench.run', { path: SAMPLE, options: { inputDims: INPUT_DIMS, warmupRuns: 1, runs: 20 } }), (p) => seen.push(p)).response;
    expect(reply).toMatchObject({ id: 3, result: { model: { fileName: 'ppocr-cls.onnx' }, samplesMs: expect.any(Array) } });
    expect((reply as { result: { samplesMs: number[] } }).result.samplesMs).toHaveLength(20);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[0]!.stage).toBe('load');
    for (const [i, p] of seen.entries()) {
      expect(p.fraction).toBeGreaterThanOrEqual(0);
      expect(p.fraction).toBeLessThanOrEqual(1);
      if (i > 0) expect(p.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
    }
    expect(seen.at(-1)).toMatchObject({ stage: 'done', fraction: 1 });
  });

  it('cancels a running bench.run quickly, and the same host runs the next job', async () => {
    const supervisor = supervise({ ...QUICK, cancelGraceMs: 10_000 });
    const pid = currentPid();
    const bench = startLongBench(supervisor);
    await bench.timing;
    const asked = Date.now();
    bench.cancel();
    expect(await bench.response).toMatchObject({ id: 1, error: { code: 'cancelled' } });
    expect(Date.now() - asked).toBeLessThan(2000);
    expect(await supervisor.run(request(2, 'model.current', {})).response).toEqual({ type: 'response', id: 2, result: null });
    expect(pids).toEqual([pid]);
  });

  it('gives model.tensor a real typed array, copied by structured clone rather than JSON', async () => {
    const supervisor = supervise(QUICK, [`--model=${SAMPLE}`]);
    const reply = await supervisor.run(request(1, 'model.tensor', { name: 'batch_norm_0.w_0' })).response;
    expect(reply).toMatchObject({ id: 1, result: { name: 'batch_norm_0.w_0', dtype: 'float32', dims: [8] } });
    const { data } = (reply as { result: { data: unknown } }).result;
    expect(data).toBeInstanceOf(Float32Array);
    const constant = (await openModelFile(SAMPLE)).model.graph!.node.find((n) => n.output[0] === 'batch_norm_0.w_0')!;
    expect(data).toEqual(tensorValues(constant.attribute[0]!.t!));
    expect(await supervisor.run(request(2, 'model.tensor', { name: 'nope' })).response).toMatchObject({ error: { code: 'not-found', message: expect.stringMatching(/no initializer or constant named "nope"/) } });
  });
});

describe('engine supervisor: crashes and hangs', () => {
  it.each([
    ['SIGKILL', /^The engine was killed \(signal SIGKILL, possibly out of memory\) while running bench\.run\. A fresh engine has been started; try again\.$/],
    ['SIGSEGV', /^The engine crashed \(signal SIGSEGV: a native memory fault\) while running bench\.run\. A fresh engine has been started/],
  ] as const)('fails the running job when the host dies of %s, and a fresh host answers the next one', async (signal, message) => {
    const supervisor = supervise();
    const bench = startLongBench(supervisor);
    await bench.timing;
    process.kill(currentPid(), signal);
    expect(await bench.response).toEqual({ type: 'response', id: 1, error: { code: 'engine-crashed', message: expect.stringMatching(message) } });
    expect(await supervisor.run(request(2, 'model.current', {})).response).toEqual({ type: 'response', id: 2, result: null });
    expect(pids).toHaveLength(2);
  });

  it('kills a hung host when a cancelled job does not stop within the grace period, then runs the next job on a fresh host', async () => {
    const supervisor = supervise({ ...QUICK, hangAfterMs: 60_000 });
    await supervisor.run(request(1, 'model.current', {})).response;
    const hung = currentPid();
    process.kill(hung, 'SIGSTOP');
    const stuck = supervisor.run(request(2, 'model.open', { path: SAMPLE }));
    const other = supervisor.run(request(3, 'model.current', {}));
    const asked = Date.now();
    stuck.cancel();
    expect(await stuck.response).toEqual({
      type: 'response',
      id: 2,
      error: { code: 'cancelled', message: 'model.open did not stop within 0.5 s of being cancelled, so the engine was stopped. A fresh engine has been started.' },
    });
    expect(Date.now() - asked).toBeGreaterThanOrEqual(450);
    expect(await other.response).toMatchObject({ id: 3, error: { code: 'engine-crashed', message: expect.stringMatching(/model\.open did not stop when cancelled, and model\.current was lost/) } });
    expect(await supervisor.run(request(4, 'model.open', { path: SAMPLE })).response).toMatchObject({ id: 4, result: { fileName: 'ppocr-cls.onnx' } });
    expect(pids).toHaveLength(2);
    expect(() => process.kill(hung, 0)).toThrow();
  });

  it('detects a host that stops answering without anyone cancelling, and replaces it', async () => {
    const supervisor = supervise();
    await supervisor.run(request(1, 'model.current', {})).response;
    process.kill(currentPid(), 'SIGSTOP');
    const asked = Date.now();
    const reply = await supervisor.run(request(2, 'model.current', {})).response;
    expect(reply).toMatchObject({ id: 2, error: { code: 'engine-crashed', message: expect.stringMatching(/^The engine stopped responding for \d+(\.\d)? s while running model\.current, so it was stopped\. A fresh engine has been started; try again\.$/) } });
    expect(Date.now() - asked).toBeLessThan(QUICK.hangAfterMs! + 1000);
    expect(await supervisor.run(request(3, 'model.current', {})).response).toEqual({ type: 'response', id: 3, result: null });
  });

  it('does not restart a host that dies right after starting', async () => {
    const supervisor = supervise({ ...QUICK, minLifetimeMs: 60_000 });
    await supervisor.run(request(1, 'model.current', {})).response;
    // Stopped first, so that the request is still waiting when the host dies.
    process.kill(currentPid(), 'SIGSTOP');
    const waiting = supervisor.run(request(2, 'model.current', {})).response;
    process.kill(currentPid(), 'SIGKILL');
    expect(await waiting).toMatchObject({ error: { code: 'engine-crashed', message: expect.stringMatching(/right after starting, so it was not restarted/) } });
    expect(await supervisor.run(request(3, 'model.current', {})).response).toMatchObject({ id: 3, error: { code: 'engine-crashed', message: expect.stringMatching(/^The engine is not running/) } });
    expect(pids).toHaveLength(1);
  });
});

describe('supervisor callers', () => {
  it('keep their own ids: the same id from two callers maps to two jobs, and a cancel reaches only its caller', async () => {
    const supervisor = supervise({ ...QUICK, cancelGraceMs: 10_000 });
    const a = new SupervisorCaller(supervisor);
    const b = new SupervisorCaller(supervisor);
    const benchB = b.request(request(1, 'bench.run', { path: SAMPLE, options: { inputDims: INPUT_DIMS, warmupRuns: 0, runs: 30 } }));
    const benchA = a.request(longBench(1));
    a.cancel(1);
    expect(await benchA).toMatchObject({ id: 1, error: { code: 'cancelled' } });
    expect(await benchB).toMatchObject({ id: 1, result: { samplesMs: expect.any(Array) } });
  });

  it('refuse an id that is still in use by the same caller', async () => {
    const supervisor = supervise({ ...QUICK, cancelGraceMs: 10_000 });
    const caller = new SupervisorCaller(supervisor);
    const first = caller.request(longBench(5));
    expect(await caller.request(request(5, 'model.current', {}))).toMatchObject({ id: 5, error: { code: 'bad-request', message: expect.stringMatching(/already used/) } });
    caller.cancelAll();
    expect(await first).toMatchObject({ error: { code: 'cancelled' } });
  });
});
