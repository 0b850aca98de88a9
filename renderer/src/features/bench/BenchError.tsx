import { JobError } from '../../components/JobError.js';
import { selectBenchError, selectBenchStatus, useWorkbench } from '../../store/index.js';

/** Why the last run did not finish. */
export function BenchError() {
  const error = useWorkbench(selectBenchError);
  const status = useWorkbench(selectBenchStatus);
  return status === 'running' ? null : <JobError error={error} cancelledNote="Benchmark cancelled. The previous results, if any, are still shown." />;
}
