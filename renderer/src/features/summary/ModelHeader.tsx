import type { OpenedModelSummary } from '../../../../engine/protocol/index.js';
import { opsetLabels, producerLabel } from './format.js';

export function ModelHeader({ model }: { readonly model: OpenedModelSummary }) {
  const producer = producerLabel(model.producer);
  return (
    <header className="model-header">
      <h1 className="model-name" data-testid="file-name">
        {model.fileName}
      </h1>
      <p className="model-path">{model.path}</p>
      <dl className="facts">
        <div>
          <dt>Producer</dt>
          <dd>{producer ?? <span className="muted">not recorded</span>}</dd>
        </div>
        <div>
          <dt>IR version</dt>
          <dd data-testid="ir-version">{model.irVersion}</dd>
        </div>
        <div>
          <dt>Opsets</dt>
          <dd>{opsetLabels(model.opsets).join(', ') || <span className="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Graph</dt>
          <dd>{model.graphName || <span className="muted">unnamed</span>}</dd>
        </div>
      </dl>
    </header>
  );
}
