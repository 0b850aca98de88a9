import type { BenchmarkResult } from '../../../../engine/protocol/index.js';
import { Section } from '../../components/Section.js';
import { formatMs } from '../charts/units.js';
import { formatShare } from '../summary/format.js';
import { environmentRows, latencyRows, runRows, topKernels, type Row } from './bench-results.js';

const TOP_KERNELS = 10;

function Facts({ rows }: { readonly rows: readonly Row[] }) {
  return (
    <dl className="bench-facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Kernels({ result }: { readonly result: BenchmarkResult }) {
  const profile = result.profile;
  if (profile === null) return <p className="empty-note">Run with per-node timing to see kernels, coverage and the measured roofline.</p>;
  return (
    <table className="table bench-kernels">
      <thead>
        <tr>
          <th>Kernel</th>
          <th>Op</th>
          <th className="num">Time</th>
          <th className="num">Share</th>
          <th className="num">Nodes</th>
        </tr>
      </thead>
      <tbody>
        {topKernels(result, TOP_KERNELS).map((k) => (
          <tr key={k.name}>
            <td className="name-cell mono" title={k.covers.join('\n')}>
              {k.name}
            </td>
            <td>{k.opType}</td>
            <td className="num">{formatMs(k.ms)}</td>
            <td className="num">{formatShare(k.share)}</td>
            <td className="num">{k.covers.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A finished measurement: latency, run facts, environment and the slowest kernels. */
export function BenchResults({ result }: { readonly result: BenchmarkResult }) {
  const coverage = result.coverage === null ? undefined : `coverage ${formatShare(result.coverage)}${result.profile ? ` · unmapped ${formatMs(result.profile.unmappedMs)}` : ''}`;
  return (
    <div className="bench-results">
      <p className="bench-measured muted">
        Measured {new Date(result.environment.startedAt).toLocaleString()} on <span className="mono">{result.model.fileName}</span>
      </p>
      <div className="bench-grid">
        <Section title="Latency" aside={`${result.samplesMs.length} runs`}>
          <table className="table">
            <tbody>
              {latencyRows(result).map(([label, value]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td className="num">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section title="Run">
          <Facts rows={runRows(result)} />
        </Section>
        <Section title="Environment">
          <Facts rows={environmentRows(result)} />
        </Section>
      </div>
      <Section title="Top kernels" aside={coverage}>
        <Kernels result={result} />
      </Section>
    </div>
  );
}
