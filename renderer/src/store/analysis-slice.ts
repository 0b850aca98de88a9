import type { StateCreator } from 'zustand';
import type { Analysis } from '../../../engine/core/analysis/types.js';
import type { DeviceProfile } from '../../../engine/core/hardware/device.js';
import type { JobProgress, ProtocolError } from '../../../engine/protocol/index.js';
import { workbench } from '../api/client.js';
import { asProtocolError } from './errors.js';

export type InputDims = Readonly<Record<string, readonly (number | string)[]>>;

export interface AnalysisSlice {
  /** The current model's analysis for `deviceId` and `inputDims`; null until computed. */
  analysis: Analysis | null;
  analysisStatus: 'idle' | 'loading' | 'ready' | 'error';
  analysisError: ProtocolError | null;
  /** Set while this machine is being measured for the first time. */
  analysisProgress: JobProgress | null;
  /** Pinned input dims; the model's own fixed dims need none. */
  inputDims: InputDims;
  /**
   * Files (`.npy`, `.json`) giving inputs real values, by input name, for runs in onnxruntime
   * (benchmarks, an optimization's output check); other inputs are filled with random values.
   */
  inputFiles: Readonly<Record<string, string>>;
  /** Gives an input its values from a file, or back to random with an empty path. */
  setInputFile(input: string, path: string): void;
  /** The device predictions are for: `this-machine` or a catalog id. */
  deviceId: string;
  devices: readonly DeviceProfile[];
  loadDevices(): Promise<void>;
  /** Analyzes the current model again with the given dims and device (each defaults to the current one). */
  analyze(change?: { inputDims?: InputDims; deviceId?: string }): Promise<void>;
  clearAnalysis(): void;
}

/** Predictions are for the machine Whittle runs on until the user picks another device. */
export const DEFAULT_DEVICE = 'this-machine';

let latestRequest = 0;

export const createAnalysisSlice: StateCreator<AnalysisSlice> = (set, get) => ({
  analysis: null,
  analysisStatus: 'idle',
  analysisError: null,
  analysisProgress: null,
  inputDims: {},
  inputFiles: {},
  setInputFile(input, path) {
    const { [input]: _, ...others } = get().inputFiles;
    set({ inputFiles: path.trim() === '' ? others : { ...others, [input]: path.trim() } });
  },
  deviceId: DEFAULT_DEVICE,
  devices: [],
  async loadDevices() {
    try {
      set({ devices: (await workbench().call('devices.list', {})).devices });
    } catch (err) {
      set({ analysisError: asProtocolError(err) });
    }
  },
  async analyze(change = {}) {
    const inputDims = change.inputDims ?? get().inputDims;
    const deviceId = change.deviceId ?? get().deviceId;
    const request = ++latestRequest;
    set({ inputDims, deviceId, analysisStatus: 'loading', analysisError: null, analysisProgress: null });
    try {
      const analysis = await workbench().call('model.analysis', { inputDims, deviceId }, { onProgress: (p) => set({ analysisProgress: p }) });
      // A newer request (another device chosen meanwhile) wins.
      if (request !== latestRequest) return;
      set({ analysis, analysisStatus: 'ready', analysisProgress: null });
      if (deviceId === DEFAULT_DEVICE && !get().devices.some((d) => d.id === DEFAULT_DEVICE)) void get().loadDevices();
    } catch (err) {
      if (request === latestRequest) set({ analysisStatus: 'error', analysisError: asProtocolError(err), analysisProgress: null });
    }
  },
  clearAnalysis() {
    latestRequest++;
    set({ analysis: null, analysisStatus: 'idle', analysisError: null, analysisProgress: null, inputDims: {}, inputFiles: {} });
  },
});
