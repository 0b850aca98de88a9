import { adviceFor } from '../../components/error-advice.js';
import { selectBenchError, selectBenchStatus, useWorkbench } from '../../store/index.js';

/** Why the last run did not finish; a cancelled run is a plain note, not an error. */
export function BenchError() {
  const error = useWorkbench(selectBenchError);
  const status = useWorkbench(selectBenchStatus);
  if (error === null || status === 'running') return null;
  if (error.code === 'cancelled') {
    return (
      <p className="bench-note" role="status">
        Benchmark cancelled. The previous results, if any, are still shown.
      </p>
    );
  }
  const advice = adviceFor(error.code);
  return (
    <div className="bench-error" role="alert">
      <strong>{advice.title}</strong>
      <p className="bench-error-message">{error.message}</p>
      <p className="muted">{advice.next.replaceAll('`', '')}</p>
    </div>
  );
}
