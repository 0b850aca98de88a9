import type { StateCreator } from 'zustand';
import type { OpenedModelSummary, ProtocolError } from '../../../engine/protocol/index.js';
import { workbench } from '../api/client.js';
import { asProtocolError } from './errors.js';

export type ModelStatus = 'loading' | 'ready' | 'empty' | 'error';

export interface ModelSlice {
  /** The model on screen; kept while another one fails to open. */
  model: OpenedModelSummary | null;
  modelStatus: ModelStatus;
  modelError: ProtocolError | null;
  /** What is being opened, while `modelStatus` is loading. */
  openingPath: string | null;
  loadCurrentModel(): Promise<void>;
  openModel(path: string): Promise<void>;
  modelOpened(model: OpenedModelSummary): void;
  dismissModelError(): void;
}

export const createModelSlice: StateCreator<ModelSlice> = (set, get) => ({
  model: null,
  modelStatus: 'loading',
  modelError: null,
  openingPath: null,
  async loadCurrentModel() {
    set({ modelStatus: 'loading', openingPath: null });
    try {
      const model = await workbench().call('model.current', {});
      set({ model, modelStatus: model ? 'ready' : 'empty', modelError: null });
    } catch (err) {
      set({ modelStatus: 'error', modelError: asProtocolError(err) });
    }
  },
  async openModel(path) {
    set({ modelStatus: 'loading', openingPath: path });
    try {
      get().modelOpened(await workbench().call('model.open', { path }));
    } catch (err) {
      set({ modelStatus: 'error', modelError: asProtocolError(err), openingPath: null });
    }
  },
  modelOpened(model) {
    // One open arrives twice, as the event every client hears and as this client's answer: keep
    // the model object it already has, so that everything derived from it is computed once.
    const current = get().model;
    const same = current !== null && current.path === model.path && JSON.stringify(current) === JSON.stringify(model);
    set({ model: same ? current : model, modelStatus: 'ready', modelError: null, openingPath: null });
  },
  dismissModelError() {
    set((s) => ({ modelStatus: s.model ? 'ready' : 'empty', modelError: null }));
  },
});
