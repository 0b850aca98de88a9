import { pinnedDimsNote, type OptimizeReport } from '../../../../engine/protocol/index.js';
import { selectOpenModel, selectSelectNode, useWorkbench } from '../../store/index.js';
import { fidelityText, figureRows, groupChanges, latencyText } from './optimize-format.js';

function FiguresTable({ report }: { report: OptimizeReport }) {
  return (
    <table className="optimize-figures">
      <caption className="visually-hidden">Figures before and after</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">Before</th>
          <th scope="col">After</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {figureRows(report.before, report.after).map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>{row.before}</td>
            <td>{row.after}</td>
            <td className={row.better === null ? 'muted' : row.better ? 'better' : 'worse'}>{row.change || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChangeList({ report }: { report: OptimizeReport }) {
  const selectNode = useWorkbench(selectSelectNode);
  return (
    <div className="optimize-changes">
      {groupChanges(report.changes).map((group) => (
        <details key={group.pass} open={report.changes.length <= 60}>
          <summary>
            <code>{group.pass}</code> <span className="muted">{group.counts}</span>
          </summary>
          <ul>
            {group.changes.map((change, i) => (
              <li key={i}>
                {change.detail}
                {change.graphPath === 'graph' ? (
                  <span className="optimize-change-nodes">
                    {change.nodes.map((name) => (
                      <button key={name} type="button" className="link-button mono" onClick={() => selectNode(name)} title="Show in the graph">
                        {name}
                      </button>
                    ))}
                  </span>
                ) : (
                  <span className="muted"> (in {change.graphPath})</span>
                )}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}

/** A preview or an applied optimization: what changed, the figures, and for a variant its checks. */
export function OptimizeReportView({ report }: { report: OptimizeReport }) {
  const openModel = useWorkbench(selectOpenModel);
  const variant = report.variant;
  const dimsNote = pinnedDimsNote(report);
  const heading =
    report.changes.length === 0
      ? 'Nothing to change: none of the chosen passes applies to this model.'
      : variant === null
        ? `Preview: ${report.changes.length} change${report.changes.length === 1 ? '' : 's'} (marked in green in the graph). Nothing was written.`
        : `Variant ${variant.id} made: ${report.changes.length} change${report.changes.length === 1 ? '' : 's'}.`;
  return (
    <section className="optimize-report" aria-label="Optimization result">
      <h3>{heading}</h3>
      {dimsNote === null ? null : (
        <p className="optimize-warning" role="note">
          {dimsNote}
        </p>
      )}
      {variant !== null ? (
        <div className="optimize-variant">
          <p className={report.fidelity.checked && !report.fidelity.passed ? 'optimize-bad' : undefined}>{fidelityText(report.fidelity)}</p>
          {report.latency !== null ? <p>Measured: {latencyText(report.latency)}</p> : null}
          <p className="optimize-fine">
            Saved as <span className="mono selectable">{variant.path}</span>
          </p>
          <button type="button" className="button" onClick={() => void openModel(variant.path)}>
            Open the variant
          </button>
        </div>
      ) : null}
      <FiguresTable report={report} />
      <p className="optimize-fine">
        Counted at the analysis’s input dims on {report.deviceId}; {report.passes.length} pass{report.passes.length === 1 ? '' : 'es'}, {report.rounds} round{report.rounds === 1 ? '' : 's'}.
      </p>
      {report.changes.length > 0 ? <ChangeList report={report} /> : null}
    </section>
  );
}
