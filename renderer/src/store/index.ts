import { create } from 'zustand';
import { createModelSlice, type ModelSlice } from './model-slice.js';

/** The whole UI state: one store made of typed slices. */
export type WorkbenchState = ModelSlice;

export const useWorkbench = create<WorkbenchState>()((...a) => ({ ...createModelSlice(...a) }));

export const selectModel = (s: WorkbenchState) => s.model;
export const selectModelStatus = (s: WorkbenchState) => s.modelStatus;
export const selectModelError = (s: WorkbenchState) => s.modelError;
export const selectOpeningPath = (s: WorkbenchState) => s.openingPath;
export const selectOpenModel = (s: WorkbenchState) => s.openModel;
export const selectDismissModelError = (s: WorkbenchState) => s.dismissModelError;
