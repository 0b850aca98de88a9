import type { StateCreator } from 'zustand';
import type { BenchmarkOptions, BenchmarkResult, JobProgress, ProtocolError } from '../../../engine/protocol/index.js';
import { workbench } from '../api/client.js';
import { asProtocolError } from './errors.js';

export interface BenchSlice {
  /** The newest measurement of the current model: run now, or saved in its workspace. */
  benchResult: BenchmarkResult | null;
  benchStatus: 'idle' | 'running' | 'error';
  benchProgress: JobProgress | null;
  benchError: ProtocolError | null;
  /** Runs a benchmark of the current model; its result replaces the previous one. */
  runBench(options: BenchmarkOptions): Promise<void>;
  cancelBench(): void;
  /** Loads the newest saved result of the current model, if any. */
  loadLatestBench(): Promise<void>;
  clearBench(): void;
}

let running: AbortController | null = null;

export const createBenchSlice: StateCreator<BenchSlice> = (set) => ({
  benchResult: null,
  benchStatus: 'idle',
  benchProgress: null,
  benchError: null,
  async runBench(options) {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    set({ benchStatus: 'running', benchProgress: { stage: 'load', fraction: 0, message: 'Starting' }, benchError: null });
    try {
      const benchResult = await workbench().call('bench.run', { options }, { signal: controller.signal, onProgress: (p) => set({ benchProgress: p }) });
      if (running === controller) set({ benchResult, benchStatus: 'idle', benchProgress: null });
    } catch (err) {
      if (running === controller) set({ benchStatus: 'error', benchError: asProtocolError(err), benchProgress: null });
    } finally {
      if (running === controller) running = null;
    }
  },
  cancelBench() {
    running?.abort();
  },
  async loadLatestBench() {
    try {
      set({ benchResult: await workbench().call('bench.latest', {}) });
    } catch (err) {
      set({ benchError: asProtocolError(err) });
    }
  },
  clearBench() {
    running?.abort();
    running = null;
    set({ benchResult: null, benchStatus: 'idle', benchProgress: null, benchError: null });
  },
});
