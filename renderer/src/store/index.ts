import { create } from 'zustand';
import { createAnalysisSlice, type AnalysisSlice } from './analysis-slice.js';
import { createBenchSlice, type BenchSlice } from './bench-slice.js';
import { createModelSlice, type ModelSlice } from './model-slice.js';
import { createOptimizeSlice, type OptimizeSlice } from './optimize-slice.js';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.js';

/** The whole UI state: one store made of typed slices. */
export type WorkbenchState = ModelSlice & AnalysisSlice & SelectionSlice & BenchSlice & OptimizeSlice;

export const useWorkbench = create<WorkbenchState>()((...a) => ({
  ...createModelSlice(...a),
  ...createAnalysisSlice(...a),
  ...createSelectionSlice(...a),
  ...createBenchSlice(...a),
  ...createOptimizeSlice(...a),
}));

export const selectModel = (s: WorkbenchState) => s.model;
export const selectModelStatus = (s: WorkbenchState) => s.modelStatus;
export const selectModelError = (s: WorkbenchState) => s.modelError;
export const selectOpeningPath = (s: WorkbenchState) => s.openingPath;
export const selectOpenModel = (s: WorkbenchState) => s.openModel;
export const selectDismissModelError = (s: WorkbenchState) => s.dismissModelError;

export const selectAnalysis = (s: WorkbenchState) => s.analysis;
export const selectAnalysisStatus = (s: WorkbenchState) => s.analysisStatus;
export const selectAnalysisError = (s: WorkbenchState) => s.analysisError;
export const selectAnalysisProgress = (s: WorkbenchState) => s.analysisProgress;
export const selectInputDims = (s: WorkbenchState) => s.inputDims;
export const selectInputFiles = (s: WorkbenchState) => s.inputFiles;
export const selectSetInputFile = (s: WorkbenchState) => s.setInputFile;
export const selectDeviceId = (s: WorkbenchState) => s.deviceId;
export const selectDevices = (s: WorkbenchState) => s.devices;
export const selectAnalyze = (s: WorkbenchState) => s.analyze;

export const selectSelectedNode = (s: WorkbenchState) => s.selectedNode;
export const selectSelectNode = (s: WorkbenchState) => s.selectNode;

export const selectBenchResult = (s: WorkbenchState) => s.benchResult;
export const selectBenchStatus = (s: WorkbenchState) => s.benchStatus;
export const selectBenchProgress = (s: WorkbenchState) => s.benchProgress;
export const selectBenchError = (s: WorkbenchState) => s.benchError;
export const selectRunBench = (s: WorkbenchState) => s.runBench;
export const selectCancelBench = (s: WorkbenchState) => s.cancelBench;

export const selectPassInfo = (s: WorkbenchState) => s.passInfo;
export const selectChosenPasses = (s: WorkbenchState) => s.chosenPasses;
export const selectOptimizeReport = (s: WorkbenchState) => s.optimizeReport;
export const selectOptimizeStatus = (s: WorkbenchState) => s.optimizeStatus;
export const selectOptimizeProgress = (s: WorkbenchState) => s.optimizeProgress;
export const selectOptimizeError = (s: WorkbenchState) => s.optimizeError;
export const selectVariants = (s: WorkbenchState) => s.variants;
