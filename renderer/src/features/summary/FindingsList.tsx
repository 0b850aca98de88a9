import type { Finding } from '../../../../engine/core/graph/index.js';
import { Section } from '../../components/Section.js';

export function FindingsList({ findings }: { readonly findings: readonly Finding[] }) {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const aside = findings.length === 0 ? 'none' : `${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`;
  return (
    <Section title="Findings" aside={aside}>
      {findings.length === 0 ? (
        <p className="empty-note ok-note">No problems found in the graph.</p>
      ) : (
        <ul className="findings" data-testid="findings">
          {findings.map((f, i) => (
            <li key={i} className={`finding finding-${f.severity}`}>
              <span className="badge">{f.severity}</span>
              <div>
                <p className="finding-message">{f.message}</p>
                <p className="finding-where mono">
                  {f.graphPath}
                  {f.node ? ` · ${f.node}` : ''} · {f.code}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
