import { useEffect, useState } from 'react';
import type { PassId } from '../../../../engine/core/optimize/types.js';
import { JobError } from '../../components/JobError.js';
import { InputValues } from '../bench/InputValues.js';
import { JobProgressBar } from '../../components/JobProgressBar.js';
import {
  selectChosenPasses,
  selectOptimizeError,
  selectOptimizeProgress,
  selectOptimizeReport,
  selectOptimizeStatus,
  selectPassInfo,
  useWorkbench,
} from '../../store/index.js';
import { OptimizeReportView } from './OptimizeReportView.js';
import { VariantsList } from './VariantsList.js';
import './optimize.css';

/** Benchmark runs per round when both models are measured after applying. */
const DEFAULT_BENCH_RUNS = 20;

function PassChooser() {
  const passInfo = useWorkbench(selectPassInfo);
  const chosen = useWorkbench(selectChosenPasses);
  const status = useWorkbench(selectOptimizeStatus);
  const busy = status === 'previewing' || status === 'applying';
  if (passInfo === null) return <p className="optimize-note">Loading the passes…</p>;
  const ticked = new Set<PassId>(chosen ?? passInfo.map((p) => p.id));
  const toggle = (id: PassId) => {
    const next = new Set(ticked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    // Kept in the default order: the order passes run in.
    useWorkbench.getState().choosePasses(passInfo.map((p) => p.id).filter((p) => next.has(p)));
  };
  return (
    <fieldset className="optimize-passes" disabled={busy}>
      <legend>Passes, in the order they run</legend>
      {passInfo.map((p) => (
        <label key={p.id} className="optimize-pass">
          <input type="checkbox" checked={ticked.has(p.id)} onChange={() => toggle(p.id)} />
          <span>
            <span className="optimize-pass-title">{p.title}</span> <code className="muted">{p.id}</code>
            <span className="optimize-pass-summary">{p.summary}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function Actions() {
  const status = useWorkbench(selectOptimizeStatus);
  const chosen = useWorkbench(selectChosenPasses);
  const [measure, setMeasure] = useState(false);
  const [runs, setRuns] = useState(DEFAULT_BENCH_RUNS);
  const busy = status === 'previewing' || status === 'applying';
  const nothingChosen = chosen !== null && chosen.length === 0;
  const { previewOptimize, applyOptimize, cancelOptimize } = useWorkbench.getState();
  return (
    <div className="optimize-actions">
      <label className="optimize-measure">
        <input type="checkbox" checked={measure} disabled={busy} onChange={(e) => setMeasure(e.target.checked)} /> Measure both models after applying,
        <input type="number" min={1} max={10_000} value={runs} disabled={busy || !measure} aria-label="Runs per round" onChange={(e) => setRuns(Math.max(1, Math.round(Number(e.target.value) || 1)))} /> runs × 3 rounds
      </label>
      <div className="optimize-buttons">
        <button type="button" className="button" disabled={busy || nothingChosen} onClick={() => void previewOptimize()}>
          Preview
        </button>
        <button type="button" className="button primary" disabled={busy || nothingChosen} onClick={() => void applyOptimize(measure ? runs : undefined)}>
          Apply: make a variant
        </button>
        {busy ? (
          <button type="button" className="button" onClick={cancelOptimize}>
            Cancel
          </button>
        ) : null}
      </div>
      {nothingChosen ? <p className="optimize-note">Tick at least one pass.</p> : null}
    </div>
  );
}

/** The Optimize tab: choose passes, preview what they change (marked in the graph), apply, compare. */
export function OptimizePanel() {
  const passInfo = useWorkbench(selectPassInfo);
  const report = useWorkbench(selectOptimizeReport);
  const status = useWorkbench(selectOptimizeStatus);
  const progress = useWorkbench(selectOptimizeProgress);
  const error = useWorkbench(selectOptimizeError);
  useEffect(() => {
    const { loadPasses, loadVariants } = useWorkbench.getState();
    if (passInfo === null) void loadPasses();
    void loadVariants();
  }, [passInfo]);
  const busy = status === 'previewing' || status === 'applying';
  return (
    <div className="optimize">
      <div className="optimize-controls">
        <PassChooser />
        <InputValues disabled={busy} />
        <Actions />
        <JobProgressBar progress={progress} label="Optimization progress" />
        {busy ? null : <JobError error={error} cancelledNote="Cancelled. Nothing was recorded unless the variant was already written." />}
      </div>
      <div className="optimize-results">
        {report === null ? (
          <p className="optimize-note">
            Preview shows what the chosen passes would change, marked in green in the graph, with the figures before and after. Apply writes the result as a variant into the model’s workspace, runs it and the
            original on the same inputs to check that the outputs agree, and can measure both.
          </p>
        ) : (
          <OptimizeReportView report={report} />
        )}
        <VariantsList />
      </div>
    </div>
  );
}
