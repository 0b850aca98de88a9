import { useState } from 'react';
import { workbench } from '../../api/client.js';
import { selectModel, useWorkbench } from '../../store/index.js';
import { formatBytes, formatExact, formatShare } from '../summary/format.js';
import { shapeText } from '../layers/format.js';
import type { TensorSummary } from '../../../../engine/core/stats/tensor-summary.js';
import type { ClassifiedInput } from './classify.js';
import { tensorBytes } from './element-values.js';
import { Figures, type Figure } from './Figures.js';
import { Histogram } from './Histogram.js';
import { formatValue } from './stats-format.js';
import { useRequest } from './useRequest.js';

/** Tensors up to this size are summarized as soon as their node is shown; the engine reads bigger ones when asked. */
const AUTO_LOAD_BYTES = 64 * 1024 * 1024;

export function WeightCard({ input }: { input: ClassifiedInput }) {
  const model = useWorkbench(selectModel);
  const { name, dtype, shape } = input.value;
  const bytes = tensorBytes(dtype, shape);
  const [requested, setRequested] = useState(bytes !== null && bytes <= AUTO_LOAD_BYTES);
  const summary = useRequest<TensorSummary>(requested ? () => workbench().call('model.weightStats', { name }) : null, [model, name, requested]);
  return (
    <div className="weight-card">
      <div className="weight-head">
        <span className="mono weight-name" title={name}>
          {name}
        </span>
        <span className="weight-meta">
          {dtype} {shapeText(shape)}
          {bytes === null ? '' : ` · ${formatBytes(bytes)}`}
          {input.kind === 'constant' ? ' · Constant' : ''}
        </span>
      </div>
      {summary.status === 'idle' ? (
        <button type="button" className="button inspector-small-button" onClick={() => setRequested(true)}>
          Load statistics
        </button>
      ) : summary.status === 'loading' ? (
        <p className="inspector-note">Reading weights…</p>
      ) : summary.status === 'error' ? (
        <p className="inspector-error" role="alert">
          {summary.error.message}
        </p>
      ) : (
        <SummaryView summary={summary.value} name={name} />
      )}
    </div>
  );
}

function SummaryView({ summary, name }: { summary: TensorSummary; name: string }) {
  const { stats, histogram } = summary;
  const figures: Figure[] = [
    ['min', formatValue(stats.min), String(stats.min)],
    ['max', formatValue(stats.max), String(stats.max)],
    ['mean', formatValue(stats.mean), String(stats.mean)],
    ['std', formatValue(stats.std), String(stats.std)],
    ['zeros', formatShare(stats.sparsity), `${formatExact(stats.zeros)} of ${formatExact(stats.count)} exactly zero`],
    ['elements', formatExact(stats.count)],
  ];
  if (stats.nonFinite > 0) figures.push(['NaN / inf', formatExact(stats.nonFinite), 'left out of the other figures']);
  return (
    <>
      <Figures figures={figures} className="weight-stats" />
      {histogram ? <Histogram bins={histogram} label={`Histogram of ${name}`} /> : null}
    </>
  );
}
