import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../../engine/node/benchmark.js';
import { defaultWorkspaceDir, latestBenchmark, saveBenchmark } from '../../../engine/node/workspace.js';
import type { BenchmarkResult } from '../../../engine/protocol/index.js';
import { PROJECT_ROOT } from '../../support/corpus.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'whittle-ws-'));
  dirs.push(dir);
  return dir;
}

let measured: BenchmarkResult;
beforeAll(async () => {
  measured = await runBenchmark(resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx'), { inputDims: { x: [1, 3, 48, 64] }, runs: 2, intraOpThreads: 1 });
});

/** A real result, relabelled: when it was taken, of which file, on how many threads. */
function result(startedAt: string, sha256: string, threads = 2): BenchmarkResult {
  return {
    ...measured,
    model: { ...measured.model, sha256 },
    environment: { ...measured.environment, startedAt },
    options: { ...measured.options, intraOpThreads: threads },
  };
}

describe('workspace', () => {
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('lives beside the model, named after it', () => {
    expect(defaultWorkspaceDir('/data/models/resnet50.onnx')).toBe('/data/models/resnet50.whittle');
    expect(defaultWorkspaceDir('/data/model')).toBe('/data/model.whittle');
  });

  it('saves each benchmark as its own JSON file and finds the newest one of the same model file', async () => {
    const dir = await tempDir();
    const first = await saveBenchmark(dir, result('2026-11-24T10:00:00.000Z', 'aaa'));
    await saveBenchmark(dir, result('2026-11-24T11:00:00.000Z', 'aaa', 1));
    await saveBenchmark(dir, result('2026-11-24T12:00:00.000Z', 'bbb'));
    expect(first).toBe(join(dir, 'benchmarks', '2026-11-24T10-00-00.000Z-cpu-2t.json'));
    expect(JSON.parse(await readFile(first, 'utf8'))).toEqual(result('2026-11-24T10:00:00.000Z', 'aaa'));
    expect(await readdir(join(dir, 'benchmarks'))).toHaveLength(3);
    expect((await latestBenchmark(dir, 'aaa'))?.environment.startedAt).toBe('2026-11-24T11:00:00.000Z');
    expect((await latestBenchmark(dir, 'bbb'))?.environment.startedAt).toBe('2026-11-24T12:00:00.000Z');
    expect(await latestBenchmark(dir, 'ccc')).toBeNull();
  });

  it('skips unreadable and invalid files and answers null for a workspace that does not exist', async () => {
    const dir = await tempDir();
    await saveBenchmark(dir, result('2026-11-24T10:00:00.000Z', 'aaa'));
    await writeFile(join(dir, 'benchmarks', '2026-11-24T23-00-00.000Z-cpu-2t.json'), '{ truncated');
    const { latencyMs: _dropped, ...incomplete } = result('2026-11-24T22:00:00.000Z', 'aaa');
    await writeFile(join(dir, 'benchmarks', '2026-11-24T22-00-00.000Z-cpu-2t.json'), JSON.stringify(incomplete));
    expect((await latestBenchmark(dir, 'aaa'))?.environment.startedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(await latestBenchmark(join(dir, 'missing'), 'aaa')).toBeNull();
  });
});
