import type { StateCreator } from 'zustand';

export interface SelectionSlice {
  /** The selected node's name as the analysis gives it; selecting it anywhere selects it everywhere. */
  selectedNode: string | null;
  selectNode(name: string | null): void;
}

export const createSelectionSlice: StateCreator<SelectionSlice> = (set) => ({
  selectedNode: null,
  selectNode(name) {
    set({ selectedNode: name });
  },
});
