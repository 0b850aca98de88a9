import { useState, type FormEvent } from 'react';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { selectAnalysis, selectAnalysisError, selectAnalysisProgress, selectAnalysisStatus, selectAnalyze, useWorkbench } from '../store/index.js';
import { dimsToPin, pinnedDims } from './input-pins.js';
import { rememberPins } from './remembered-pins.js';

/** Asks for the input dims a model leaves symbolic: without them its costs cannot be counted. */
function PinForm() {
  const analysis = useWorkbench(selectAnalysis);
  const analyze = useWorkbench(selectAnalyze);
  const [values, setValues] = useState<Record<string, string>>({});
  if (analysis === null || analysis.unpinnedDims.length === 0) return null;
  // The analysis reports pinned inputs with numbers: ask only about what is still symbolic.
  const dims = dimsToPin(analysis.inputs);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const inputDims = pinnedDims(analysis.inputs, values);
    void analyze({ inputDims }).then(() => {
      const { model, analysisStatus } = useWorkbench.getState();
      if (model !== null && analysisStatus === 'ready') rememberPins(model.path, inputDims);
    });
  };
  return (
    <form className="pin-form" onSubmit={submit} aria-label="Input dims">
      <span className="pin-note">
        {analysis.totals.uncountedNodes} of {analysis.totals.nodes} nodes are uncounted until these input dims are pinned:
      </span>
      {dims.map((d) => (
        <label key={d.key} className="pin-field">
          <span>{d.label}</span>
          <input inputMode="numeric" size={5} value={values[d.key] ?? ''} onChange={(e) => setValues({ ...values, [d.key]: e.target.value })} />
        </label>
      ))}
      <button type="submit" className="button primary">
        Analyze
      </button>
    </form>
  );
}

/** The state of the analysis above the workbench: progress, readable errors, and the pins it needs. */
export function AnalysisStatus() {
  const status = useWorkbench(selectAnalysisStatus);
  const progress = useWorkbench(selectAnalysisProgress);
  const error = useWorkbench(selectAnalysisError);
  return (
    <div className="analysis-status">
      {status === 'loading' ? (
        <p className="status-note" role="status">
          {progress?.message ?? 'Analyzing…'}
        </p>
      ) : null}
      {status === 'error' && error ? <ErrorPanel error={error} /> : null}
      <PinForm />
    </div>
  );
}
