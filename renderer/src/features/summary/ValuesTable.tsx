import type { ValueSummary } from '../../../../engine/core/graph/index.js';
import { Section } from '../../components/Section.js';
import { shapeDims } from './format.js';

function Shape({ shape }: { readonly shape: ValueSummary['shape'] }) {
  const dims = shapeDims(shape);
  if (dims === null) return <span className="muted">rank unknown</span>;
  if (dims.length === 0) return <span className="muted">scalar</span>;
  return (
    <span className="shape">
      {dims.map((d, i) => (
        <span key={i} className={`dim dim-${d.kind}`} title={d.kind === 'symbolic' ? 'symbolic dimension' : d.kind === 'unknown' ? 'unknown dimension' : undefined}>
          {d.text}
        </span>
      ))}
    </span>
  );
}

export function ValuesTable({ title, values }: { readonly title: string; readonly values: readonly ValueSummary[] }) {
  return (
    <Section title={title} aside={values.length}>
      {values.length === 0 ? (
        <p className="empty-note">None.</p>
      ) : (
        <table className="table" data-testid={`${title.toLowerCase()}-table`}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Shape</th>
            </tr>
          </thead>
          <tbody>
            {values.map((v, i) => (
              <tr key={i}>
                <td className="mono name-cell">{v.name}</td>
                <td className="mono">{v.dtype}</td>
                <td>
                  <Shape shape={v.shape} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
