import { describe, expect, it } from 'vitest';
import { median, parseTrace, TraceFormatError } from '../../../engine/core/profile/index.js';

const run = (ts: number, dur: number): object => ({ cat: 'Session', pid: 1, tid: 1, ph: 'X', name: 'model_run', ts, dur, args: {} });
const kernel = (node: string, ts: number, dur: number, op = 'Conv', tid = 1): object => ({
  cat: 'Node',
  pid: 1,
  tid,
  ph: 'X',
  name: `${node}_kernel_time`,
  ts,
  dur,
  args: { op_name: op, provider: 'CPUExecutionProvider' },
});
const fence = (node: string, ts: number): object => ({ cat: 'Node', pid: 1, tid: 1, ph: 'X', name: `${node}_fence_before`, ts, dur: 0, args: {} });

describe('median', () => {
  it('takes the middle of odd counts and the mean of the middle two of even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
    expect(median([10, 2])).toBe(6);
  });
});

describe('parseTrace', () => {
  it('assigns kernel events to the run that holds them and takes medians per node', () => {
    const events = [
      { cat: 'Session', name: 'session_initialization', ts: 0, dur: 50, args: {} },
      kernel('a', 10, 5), // during initialization: outside any run
      run(100, 100),
      kernel('a', 110, 10),
      kernel('b', 130, 20, 'Relu'),
      run(300, 100),
      kernel('a', 310, 30),
      kernel('b', 350, 40, 'Relu'),
      fence('a', 305),
      run(500, 100),
      kernel('a', 510, 20),
      kernel('b', 540, 60, 'Relu'),
    ];
    const t = parseTrace(events, { skipRuns: 0 });
    expect(t.totalRuns).toBe(3);
    expect(t.runs).toBe(3);
    expect(t.runMs).toBe(0.1);
    expect(t.eventsOutsideRuns).toBe(1);
    expect(t.malformedEvents).toBe(0);
    expect(t.nodes.map((n) => [n.name, n.opType, n.provider, n.ms, n.runs, n.calls])).toEqual([
      ['a', 'Conv', 'CPUExecutionProvider', 0.02, 3, 1],
      ['b', 'Relu', 'CPUExecutionProvider', 0.04, 3, 1],
    ]);
  });

  it('skips the warm-up runs, and uses the mean of the middle two for an even count', () => {
    const events = [run(0, 100), kernel('a', 10, 1000), run(200, 50), kernel('a', 210, 10), run(300, 70), kernel('a', 310, 20)];
    const t = parseTrace(events, { skipRuns: 1 });
    expect(t.runs).toBe(2);
    expect(t.runsMs).toEqual([0.05, 0.07]);
    expect(t.runMs).toBeCloseTo(0.06, 12);
    expect(t.nodes[0]!.ms).toBeCloseTo(0.015, 12);
  });

  it('keeps nothing, without failing, when the trace has fewer runs than the warm-up or none', () => {
    expect(parseTrace([run(0, 10), kernel('a', 1, 2)], { skipRuns: 2 })).toMatchObject({ totalRuns: 1, runs: 0, runMs: 0, nodes: [] });
    expect(parseTrace([kernel('a', 1, 2)], { skipRuns: 0 })).toMatchObject({ totalRuns: 0, runs: 0, eventsOutsideRuns: 1, nodes: [] });
    expect(parseTrace([], { skipRuns: 0 })).toMatchObject({ runs: 0, nodes: [] });
  });

  it('sums the events of one node within a run (a Loop body node runs many times)', () => {
    const events = [run(0, 100), kernel('loop', 1, 90, 'Loop'), kernel('body', 5, 10, 'Add'), kernel('body', 20, 10, 'Add'), kernel('body', 40, 12, 'Add')];
    const t = parseTrace(events, { skipRuns: 0 });
    const body = t.nodes.find((n) => n.name === 'body')!;
    expect(body.ms).toBeCloseTo(0.032, 12);
    expect(body.calls).toBe(3);
    expect(body.parent).toBe('loop');
    expect(t.nodes.find((n) => n.name === 'loop')!.parent).toBeNull();
    expect(t.nodes[0]!.name).toBe('loop');
  });

  it('counts a node as 0 in kept runs where it did not run (an If branch not taken)', () => {
    const events = [run(0, 100), kernel('x', 1, 10), run(200, 100), kernel('x', 201, 10), kernel('rare', 220, 50), run(400, 100), kernel('x', 401, 10)];
    const rare = parseTrace(events, { skipRuns: 0 }).nodes.find((n) => n.name === 'rare')!;
    expect(rare).toMatchObject({ ms: 0, runs: 1 });
  });

  it('does not nest an event in a neighbour that merely touches it', () => {
    const t = parseTrace([run(0, 100), kernel('a', 10, 5), kernel('b', 15, 0, 'Relu')], { skipRuns: 0 });
    expect(t.nodes.every((n) => n.parent === null)).toBe(true);
  });

  it('ignores runs after warm-up without kernel events (the profiler event cap) and says so', () => {
    const t = parseTrace([run(0, 100), kernel('a', 10, 5), run(200, 100)], { skipRuns: 0 });
    expect(t).toMatchObject({ runs: 1, emptyRuns: 1, runsMs: [0.1] });
  });

  it('counts malformed events and ignores them', () => {
    const events: unknown[] = [
      run(0, 100),
      kernel('a', 10, 5),
      null,
      42,
      'text',
      [],
      { cat: 'Node', name: 'b_kernel_time', ts: 'soon', dur: 1, args: { op_name: 'Relu' } },
      { cat: 'Node', name: 'c_kernel_time', ts: 20, dur: -1, args: { op_name: 'Relu' } },
      { cat: 'Node', name: 'd_kernel_time', ts: 20, dur: Number.NaN, args: { op_name: 'Relu' } },
      { cat: 'Node', name: 'e_kernel_time', ts: 20, dur: 1 },
      { cat: 'Node', name: '_kernel_time', ts: 20, dur: 1, args: { op_name: 'Relu' } },
      { cat: 'Session', name: 'model_run', ts: 500 },
      { name: 'no category' },
    ];
    const t = parseTrace(events, { skipRuns: 0 });
    expect(t.malformedEvents).toBe(11);
    expect(t.nodes.map((n) => n.name)).toEqual(['a']);
  });

  it('reads {traceEvents} objects and refuses what is not a trace with a readable error', () => {
    expect(parseTrace({ traceEvents: [run(0, 10), kernel('a', 1, 2)] }, { skipRuns: 0 }).runs).toBe(1);
    for (const bad of [null, 3, 'x', {}, { traceEvents: 1 }]) {
      expect(() => parseTrace(bad, { skipRuns: 0 })).toThrow(TraceFormatError);
      expect(() => parseTrace(bad, { skipRuns: 0 })).toThrow(/not a trace/);
    }
  });

  it('reads a million events quickly', () => {
    const events: object[] = [];
    for (let r = 0; r < 1000; r++) {
      const start = r * 10_000;
      events.push(run(start, 9_999));
      for (let k = 0; k < 999; k++) events.push(kernel(`n${k}`, start + k * 10, 5));
    }
    const began = performance.now();
    const t = parseTrace(events, { skipRuns: 10 });
    expect(performance.now() - began).toBeLessThan(10_000);
    expect(t.runs).toBe(990);
    expect(t.nodes).toHaveLength(999);
    expect(t.nodes[0]!.ms).toBe(0.005);
  });
});
