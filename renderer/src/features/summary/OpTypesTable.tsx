import { Section } from '../../components/Section.js';
import { formatExact, formatShare, opTypeRows } from './format.js';

export function OpTypesTable({ opTypes, nodeCount }: { readonly opTypes: Readonly<Record<string, number>>; readonly nodeCount: number }) {
  const rows = opTypeRows(opTypes);
  return (
    <Section title="Op types" aside={`${rows.length} types · ${formatExact(nodeCount)} nodes`}>
      <table className="table op-table" data-testid="op-types-table">
        <thead>
          <tr>
            <th>Op</th>
            <th className="num">Count</th>
            <th className="bar-col">Share of nodes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.op}>
              <td className="mono name-cell">{r.op}</td>
              <td className="num">{formatExact(r.count)}</td>
              <td className="bar-col">
                <span className="bar-cell">
                  <span className="bar-track">
                    <span className="bar" style={{ width: `${(r.relative * 100).toFixed(2)}%` }} />
                  </span>
                  <span className="bar-label">{formatShare(r.share)}</span>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
