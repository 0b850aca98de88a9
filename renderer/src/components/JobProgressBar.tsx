import type { JobProgress } from '../../../engine/protocol/index.js';
import { percent } from './job-progress.js';
import './job.css';

/** How far an engine job has come, with the engine's sentence for the stage. */
export function JobProgressBar({ progress, label }: { progress: JobProgress | null; label: string }) {
  if (progress === null) return null;
  const value = percent(progress);
  return (
    <div className="job-progress">
      <div className="job-progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-valuetext={`${value}%: ${progress.message}`}>
        <div className="job-progress-fill" style={{ width: `${value}%` }} />
      </div>
      <span className="job-progress-text">
        {progress.message} <span className="muted">{value}%</span>
      </span>
    </div>
  );
}
