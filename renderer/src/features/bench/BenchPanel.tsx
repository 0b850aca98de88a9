import { selectBenchResult, useWorkbench } from '../../store/index.js';
import { BenchError } from './BenchError.js';
import { BenchOptionsForm } from './BenchOptionsForm.js';
import { BenchProgress } from './BenchProgress.js';
import { BenchResults } from './BenchResults.js';
import './bench.css';

/** Measures the model in onnxruntime from the UI: options, progress, cancel, results. */
export function BenchPanel() {
  const result = useWorkbench(selectBenchResult);
  return (
    <div className="bench">
      <BenchOptionsForm />
      <BenchProgress />
      <BenchError />
      {result === null ? <p className="bench-note">No benchmark of this model yet. Results are saved with the model and shown again when it is reopened.</p> : <BenchResults result={result} />}
    </div>
  );
}
