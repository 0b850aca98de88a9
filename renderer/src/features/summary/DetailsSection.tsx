import type { OpenedModelSummary } from '../../../../engine/protocol/index.js';
import { Section } from '../../components/Section.js';
import { formatBytes, formatExact } from './format.js';

/** Doc string, metadata and external data: shown only when the model has them. */
export function DetailsSection({ model }: { readonly model: OpenedModelSummary }) {
  const metadata = Object.entries(model.metadata);
  if (model.docString === '' && metadata.length === 0 && model.externalData.length === 0) return null;
  return (
    <Section title="Details" className="details">
      {model.docString === '' ? null : (
        <>
          <h3>Doc string</h3>
          <p className="doc-string">{model.docString}</p>
        </>
      )}
      {metadata.length === 0 ? null : (
        <>
          <h3>Metadata</h3>
          <table className="table">
            <tbody>
              {metadata.map(([key, value]) => (
                <tr key={key}>
                  <th className="mono name-cell">{key}</th>
                  <td className="doc-string">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {model.externalData.length === 0 ? null : (
        <>
          <h3>External data</h3>
          <table className="table">
            <thead>
              <tr>
                <th>File</th>
                <th className="num">Tensors</th>
                <th className="num">Size</th>
              </tr>
            </thead>
            <tbody>
              {model.externalData.map((e) => (
                <tr key={e.location}>
                  <td className="mono name-cell">{e.location}</td>
                  <td className="num">{formatExact(e.tensors)}</td>
                  <td className="num">{formatBytes(e.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}
