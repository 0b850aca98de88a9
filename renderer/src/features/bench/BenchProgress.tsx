import { selectBenchProgress, useWorkbench } from '../../store/index.js';
import { percent } from './bench-form.js';

/** How far the running benchmark has come, with the engine's sentence for the stage. */
export function BenchProgress() {
  const progress = useWorkbench(selectBenchProgress);
  if (progress === null) return null;
  const value = percent(progress);
  return (
    <div className="bench-progress">
      <div className="bench-progress-track" role="progressbar" aria-label="Benchmark progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-valuetext={`${value}%: ${progress.message}`}>
        <div className="bench-progress-fill" style={{ width: `${value}%` }} />
      </div>
      <span className="bench-progress-text">
        {progress.message} <span className="muted">{value}%</span>
      </span>
    </div>
  );
}
