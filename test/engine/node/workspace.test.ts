import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorkspaceDir, latestBenchmark, saveBenchmark } from '../../../engine/node/workspace.js';
import type { BenchmarkResult } from '../../../engine/protocol/index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'whittle-ws-'));
  dirs.push(dir);
  return dir;
}

/** Only the fields the workspace reads; the rest of a result is carried as it is. */
function result(startedAt: string, sha256: string, threads = 2): BenchmarkResult {
  return {
    model: { path: '/m/model.onnx', fileName: 'model.onnx', sha256 },
    environment: { startedAt },
    options: { executionProvider: 'cpu', intraOpThreads: threads },
  } as unknown as BenchmarkResult;
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

  it('skips unreadable files and answers null for a workspace that does not exist', async () => {
    const dir = await tempDir();
    await saveBenchmark(dir, result('2026-11-24T10:00:00.000Z', 'aaa'));
    await writeFile(join(dir, 'benchmarks', '2026-11-24T23-00-00.000Z-cpu-2t.json'), '{ truncated');
    expect((await latestBenchmark(dir, 'aaa'))?.environment.startedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(await latestBenchmark(join(dir, 'missing'), 'aaa')).toBeNull();
  });
});
