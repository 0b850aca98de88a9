import { useEffect, useState } from 'react';
import { workbench } from '../api/client.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { selectDismissModelError, selectModel, selectModelError, selectModelStatus, selectOpeningPath, useWorkbench } from '../store/index.js';
import { TopBar } from './TopBar.js';
import { recallPins } from './remembered-pins.js';
import { useModelDrop } from './useModelDrop.js';
import { Workbench } from './Workbench.js';

function Content() {
  const status = useWorkbench(selectModelStatus);
  const model = useWorkbench(selectModel);
  const error = useWorkbench(selectModelError);
  const openingPath = useWorkbench(selectOpeningPath);
  const dismiss = useWorkbench(selectDismissModelError);
  if (status === 'error' && error) {
    return <ErrorPanel error={error} backLabel={model ? `Back to ${model.fileName}` : undefined} onBack={model ? dismiss : undefined} />;
  }
  if (status === 'loading') {
    return <p className="status-note" role="status">{openingPath ? `Opening ${openingPath}…` : 'Loading…'}</p>;
  }
  if (model === null) {
    return (
      <section className="empty-state">
        <h1>No model open</h1>
        <p>Enter the path of an ONNX model above, or start Whittle with one: <code>whittle serve MODEL</code>.</p>
      </section>
    );
  }
  return <Workbench model={model} />;
}

/**
 * A reopened model whose input dims are symbolic is analyzed again at the dims of its last saved
 * benchmark, so that the measured figures sit beside predictions for the same sizes; without one,
 * at the dims last pinned for it here.
 */
async function pinAsBefore(): Promise<void> {
  const { analysis, benchResult, analyze, model } = useWorkbench.getState();
  if (analysis === null || model === null || analysis.unpinnedDims.length === 0) return;
  const measured = benchResult === null ? null : Object.fromEntries(benchResult.inputs.map((i) => [i.name, i.dims]));
  const inputDims = measured ?? recallPins(model.path);
  if (inputDims !== null) await analyze({ inputDims });
}

/** A newly opened model: analyze it, and show its last saved benchmark. */
function useModelWork() {
  // Every open, even of the same file again, is a new model: it may have changed on disk.
  const model = useWorkbench(selectModel);
  useEffect(() => {
    if (model === null) return;
    const { clearAnalysis, clearBench, clearOptimize, selectNode, analyze, loadLatestBench } = useWorkbench.getState();
    clearAnalysis();
    clearBench();
    clearOptimize();
    selectNode(null);
    // One after the other: the engine would otherwise hash the file for old results while it analyzes.
    void analyze()
      .then(loadLatestBench)
      .then(pinAsBefore);
  }, [model]);
}

export function App() {
  useModelWork();
  const [dropNote, setDropNote] = useState<string | null>(null);
  useModelDrop(setDropNote);
  useEffect(() => {
    const { loadCurrentModel, modelOpened } = useWorkbench.getState();
    void loadCurrentModel();
    return workbench().onEvent((message) => {
      if (message.event === 'model.opened') modelOpened(message.payload);
    });
  }, []);
  return (
    <div className="app">
      <TopBar />
      {dropNote ? (
        <p className="drop-note" role="status">
          {dropNote}{' '}
          <button type="button" className="button" onClick={() => setDropNote(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
      <main className="content">
        <Content />
      </main>
    </div>
  );
}
