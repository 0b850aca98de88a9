import { Handle, Position, type NodeProps, type NodeTypes } from '@xyflow/react';
import { createContext, memo, useContext, type CSSProperties } from 'react';
import { selectSelectNode, useWorkbench } from '../../store/index.js';
import type { BlockCardData, BlockFlowNode, OpFlowNode } from './flow-elements.js';

/** Lets block cards open and close themselves without callbacks in node data. */
export const ToggleBlockContext = createContext<(blockId: string) => void>(() => {});

function fillStyle(data: { fill: string | null; textColour: string | null }): CSSProperties | undefined {
  return data.fill ? { background: data.fill, color: data.textColour ?? undefined } : undefined;
}

const OpCard = memo(function OpCard({ data, selected }: NodeProps<OpFlowNode>) {
  const selectNode = useWorkbench(selectSelectNode);
  return (
    <div
      className={`graph-card op-card${data.fill ? '' : ' no-value'}${selected ? ' selected' : ''}${data.changing ? ' changing' : ''}`}
      style={fillStyle(data)}
      title={data.name}
      role="button"
      tabIndex={0}
      aria-label={`${data.opType} ${data.name}`}
      aria-pressed={selected}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        selectNode(data.name);
      }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="card-line">
        <span className="card-title">{data.opType}</span>
        {data.facts && <span className="card-facts">{data.facts}</span>}
      </div>
      <div className="card-line card-sub">
        <span className="card-shape">{data.shape}</span>
        <span className="card-metric">{data.metricText}</span>
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

function BlockSummary({ data }: { data: BlockCardData }) {
  return (
    <span className="card-sub-text">
      {data.nodeCount.toLocaleString('en-US')} nodes · {data.metricText}
      {data.uncounted > 0 && <span title={`${data.uncounted} nodes could not be counted`}> · {data.uncounted} uncounted</span>}
      {data.changing > 0 && (
        <span className="changing-count" title="Nodes inside that the optimization removes, folds or merges">
          {' '}
          · {data.changing} changing
        </span>
      )}
    </span>
  );
}

const BlockCard = memo(function BlockCard({ data }: NodeProps<BlockFlowNode>) {
  const toggle = useContext(ToggleBlockContext);
  return (
    <div
      className={`graph-card block-card${data.fill ? '' : ' no-value'}${data.containsSelection ? ' holds-selection' : ''}${data.changing > 0 ? ' changing' : ''}`}
      style={fillStyle(data)}
      title={`${data.label}: click to expand`}
      role="button"
      tabIndex={0}
      aria-label={`Expand ${data.label}`}
      onClick={() => toggle(data.blockId)}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        toggle(data.blockId);
      }}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="card-line">
        <span className="block-chevron" aria-hidden="true">▸</span>
        <span className="card-title">{data.label}</span>
      </div>
      <div className="card-line card-sub">
        <BlockSummary data={data} />
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

const FrameCard = memo(function FrameCard({ data }: NodeProps<BlockFlowNode>) {
  const toggle = useContext(ToggleBlockContext);
  return (
    <div className={`graph-frame${data.containsSelection ? ' holds-selection' : ''}`}>
      <div className="frame-header">
        <button type="button" className="frame-toggle" onClick={() => toggle(data.blockId)} aria-label={`Collapse ${data.label}`} title="Collapse">
          ▾
        </button>
        {data.fill && <span className="frame-swatch" style={{ background: data.fill }} aria-hidden="true" />}
        <span className="card-title" title={data.label}>{data.label}</span>
        <BlockSummary data={data} />
      </div>
    </div>
  );
});

export const NODE_TYPES: NodeTypes = { op: OpCard, block: BlockCard, frame: FrameCard };
