import type { OpenedModelSummary } from '../../../../engine/protocol/index.js';
import { DetailsSection } from './DetailsSection.js';
import { FindingsList } from './FindingsList.js';
import { ModelHeader } from './ModelHeader.js';
import { OpTypesTable } from './OpTypesTable.js';
import { StatGrid } from './StatGrid.js';
import { ValuesTable } from './ValuesTable.js';
import './summary.css';

export function SummaryView({ model }: { readonly model: OpenedModelSummary }) {
  return (
    <article className="summary" data-testid="summary">
      <ModelHeader model={model} />
      <StatGrid model={model} />
      <div className="summary-columns">
        <div className="column">
          <ValuesTable title="Inputs" values={model.inputs} />
          <ValuesTable title="Outputs" values={model.outputs} />
          <FindingsList findings={model.findings} />
          <DetailsSection model={model} />
        </div>
        <div className="column">
          <OpTypesTable opTypes={model.opTypes} nodeCount={model.nodeCount} />
        </div>
      </div>
    </article>
  );
}
