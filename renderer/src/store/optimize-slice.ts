import type { StateCreator } from 'zustand';
import type { PassId } from '../../../engine/core/optimize/types.js';
import type { JobProgress, OptimizeReport, PassInfo, ProtocolError, VariantList } from '../../../engine/protocol/index.js';
import { workbench } from '../api/client.js';
import type { AnalysisSlice } from './analysis-slice.js';
import { asProtocolError } from './errors.js';

export interface OptimizeSlice {
  /** The passes the engine offers, in their default order; null until loaded. */
  passInfo: readonly PassInfo[] | null;
  /** Passes ticked in the Optimize tab; null means all of them. */
  chosenPasses: readonly PassId[] | null;
  /** The last preview, or the report of the variant just made (`variant` set). */
  optimizeReport: OptimizeReport | null;
  optimizeStatus: 'idle' | 'previewing' | 'applying' | 'error';
  optimizeProgress: JobProgress | null;
  optimizeError: ProtocolError | null;
  /** The current model's workspace and its variants; null until loaded. */
  variants: VariantList | null;
  loadPasses(): Promise<void>;
  choosePasses(passes: readonly PassId[]): void;
  /** Says what the chosen passes would change, at the analysis's dims and device. */
  previewOptimize(): Promise<void>;
  /** Makes the variant, checks it against the original, and, with `benchRuns`, measures both. */
  applyOptimize(benchRuns?: number): Promise<void>;
  cancelOptimize(): void;
  loadVariants(): Promise<void>;
  clearOptimize(): void;
}

let running: AbortController | null = null;

export const createOptimizeSlice: StateCreator<OptimizeSlice & AnalysisSlice, [], [], OptimizeSlice> = (set, get) => {
  async function run(apply: boolean, benchRuns?: number): Promise<void> {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    const { inputDims, inputFiles, deviceId, chosenPasses } = get();
    const files = Object.keys(inputFiles).length === 0 ? {} : { inputFiles };
    set({ optimizeStatus: apply ? 'applying' : 'previewing', optimizeProgress: null, optimizeError: null });
    try {
      const params = { apply, inputDims, deviceId, ...files, ...(chosenPasses === null ? {} : { passes: chosenPasses }), ...(benchRuns === undefined ? {} : { bench: { runs: benchRuns, inputDims, ...files } }) };
      const report = await workbench().call('optimize.run', params, { signal: controller.signal, onProgress: (p) => set({ optimizeProgress: p }) });
      if (running !== controller) return;
      set({ optimizeReport: report, optimizeStatus: 'idle', optimizeProgress: null });
      if (report.variant !== null) void get().loadVariants();
    } catch (err) {
      if (running === controller) set({ optimizeStatus: 'error', optimizeError: asProtocolError(err), optimizeProgress: null });
    } finally {
      if (running === controller) running = null;
    }
  }
  return {
    passInfo: null,
    chosenPasses: null,
    optimizeReport: null,
    optimizeStatus: 'idle',
    optimizeProgress: null,
    optimizeError: null,
    variants: null,
    async loadPasses() {
      try {
        set({ passInfo: await workbench().call('optimize.passes', {}) });
      } catch (err) {
        set({ optimizeError: asProtocolError(err) });
      }
    },
    choosePasses(passes) {
      set({ chosenPasses: passes, optimizeReport: null });
    },
    previewOptimize: () => run(false),
    applyOptimize: (benchRuns) => run(true, benchRuns),
    cancelOptimize() {
      running?.abort();
    },
    async loadVariants() {
      try {
        set({ variants: await workbench().call('variants.list', {}) });
      } catch (err) {
        set({ optimizeError: asProtocolError(err) });
      }
    },
    clearOptimize() {
      running?.abort();
      running = null;
      set({ optimizeReport: null, optimizeStatus: 'idle', optimizeProgress: null, optimizeError: null, variants: null });
    },
  };
};
