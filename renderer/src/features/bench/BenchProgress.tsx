import { JobProgressBar } from '../../components/JobProgressBar.js';
import { selectBenchProgress, useWorkbench } from '../../store/index.js';

/** How far the running benchmark has come. */
export function BenchProgress() {
  return <JobProgressBar progress={useWorkbench(selectBenchProgress)} label="Benchmark progress" />;
}
