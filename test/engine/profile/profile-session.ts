import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel, type ModelProto } from '../../../engine/core/onnx/index.js';
import { ort } from '../../support/ort.js';

export interface ProfiledSession {
  /** The trace, JSON-parsed. */
  readonly trace: unknown;
  /** The graph onnxruntime executed, as it wrote it. */
  readonly optimized: ModelProto;
}

/**
 * Runs a model `runs` times with onnxruntime's profiler on and returns the trace and the
 * optimized model it wrote, from a temp dir removed afterwards.
 */
export async function profileSession(
  model: string | Uint8Array,
  feeds: Record<string, ort.Tensor>,
  options: { level: 'disabled' | 'basic' | 'extended' | 'all'; threads: number; runs: number },
): Promise<ProfiledSession> {
  const dir = mkdtempSync(join(tmpdir(), 'whittle-profile-'));
  try {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      enableProfiling: true,
      profileFilePrefix: join(dir, 'p'),
      optimizedModelFilePath: join(dir, 'opt.onnx'),
      graphOptimizationLevel: options.level,
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      logSeverityLevel: 4,
    };
    const session = typeof model === 'string' ? await ort.InferenceSession.create(model, sessionOptions) : await ort.InferenceSession.create(model, sessionOptions);
    try {
      for (let i = 0; i < options.runs; i++) await session.run(feeds);
      // In Node endProfiling() returns nothing: the file is found by its prefix.
      await session.endProfiling();
    } finally {
      await session.release();
    }
    const traceFile = readdirSync(dir).find((f) => f.startsWith('p') && f.endsWith('.json'));
    if (traceFile === undefined) throw new Error(`no profile written in ${dir}`);
    return { trace: JSON.parse(readFileSync(join(dir, traceFile), 'utf8')), optimized: decodeModel(readFileSync(join(dir, 'opt.onnx'))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
