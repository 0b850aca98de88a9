import type { NodeDetails } from '../../../../engine/core/graph/node-details.js';
import type { RequestState } from './useRequest.js';

/** The node's attributes as the engine writes them out; model text is shown as text only. */
export function AttributesSection({ details }: { details: RequestState<NodeDetails> }) {
  return (
    <section className="inspector-section" aria-label="Attributes">
      <h3>Attributes</h3>
      {details.status === 'loading' || details.status === 'idle' ? (
        <p className="inspector-note">Loading…</p>
      ) : details.status === 'error' ? (
        <p className="inspector-error" role="alert">
          {details.error.message}
        </p>
      ) : details.value.attributes.length === 0 ? (
        <p className="inspector-note">None.</p>
      ) : (
        <table className="inspector-attributes">
          <tbody>
            {details.value.attributes.map((a) => (
              <tr key={a.name}>
                <th scope="row" title={a.type}>
                  {a.name}
                </th>
                <td className="mono">{a.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {details.status === 'ready' && details.value.docString.trim() !== '' ? <p className="inspector-doc">{details.value.docString}</p> : null}
    </section>
  );
}
