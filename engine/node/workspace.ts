/**
 * A model's workspace: a folder (beside the model, or one the user names) where Whittle keeps
 * what it learns about the model, so that the CLI, the workbench and reports reuse it. Benchmark
 * results live in its `benchmarks/` folder, one JSON file each.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { benchmarkResult } from '../protocol/benchmark-checks.js';
import type { BenchmarkResult } from '../protocol/index.js';
import { writeFileAtomic } from './atomic-write.js';

const BENCHMARKS = 'benchmarks';

/** `models/resnet.onnx` → `models/resnet.whittle`. */
export function defaultWorkspaceDir(modelPath: string): string {
  const absolute = resolve(modelPath);
  return join(dirname(absolute), `${basename(absolute, extname(absolute))}.whittle`);
}

/** A file name that sorts by time and says how the model was run: `2026-11-24T13-05-09.123Z-cpu-2t.json`. */
function resultFileName(result: BenchmarkResult): string {
  const time = result.environment.startedAt.replace(/:/g, '-');
  return `${time}-${result.options.executionProvider}-${result.options.intraOpThreads}t.json`;
}

/** Saves a benchmark result in the workspace (created if needed) and returns the file's path. */
export async function saveBenchmark(workspaceDir: string, result: BenchmarkResult): Promise<string> {
  const dir = join(resolve(workspaceDir), BENCHMARKS);
  await mkdir(dir, { recursive: true });
  const file = join(dir, resultFileName(result));
  await writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * The newest saved benchmark of the model with this SHA-256 (given, or computed only when the
 * workspace holds results), or null when there is none: results of an older version of the file
 * are ignored, and so are files that are unreadable or not a valid result (hand-edited, from an
 * incompatible version).
 */
export async function latestBenchmark(workspaceDir: string, modelSha256: string | (() => Promise<string>)): Promise<BenchmarkResult | null> {
  const dir = join(resolve(workspaceDir), BENCHMARKS);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort().reverse();
  if (names.length === 0) return null;
  // Hashing a large model takes a second: only when there are results to match.
  const sha256 = typeof modelSha256 === 'string' ? modelSha256 : await modelSha256();
  for (const name of names) {
    const result = await readFile(join(dir, name), 'utf8')
      .then((text) => benchmarkResult(JSON.parse(text), name))
      .catch(() => null);
    if (result?.model?.sha256 === sha256) return result;
  }
  return null;
}
