import { useEffect } from 'react';
import { workbench } from '../api/client.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { SummaryView } from '../features/summary/SummaryView.js';
import { selectDismissModelError, selectModel, selectModelError, selectModelStatus, selectOpeningPath, useWorkbench } from '../store/index.js';
import { TopBar } from './TopBar.js';

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
  return <SummaryView model={model} />;
}

export function App() {
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
      <main className="content">
        <Content />
      </main>
    </div>
  );
}
