import { summarizeModel, type ModelSummary } from '../engine/core/graph/index.js';
import { openModelFile } from '../engine/node/model-file.js';
import { formatBytes, formatCount, formatShape, table } from './format.js';

export interface InfoResult extends ModelSummary {
  readonly file: string;
  readonly fileBytes: number;
}

export async function modelInfo(path: string): Promise<InfoResult> {
  const opened = await openModelFile(path);
  return { file: opened.path, fileBytes: opened.fileBytes, ...summarizeModel(opened.model) };
}

export function formatInfo(info: InfoResult): string {
  const lines: string[] = [];
  const section = (title: string, body: string): void => {
    lines.push('', title, body);
  };
  lines.push(`${info.file}  (${formatBytes(info.fileBytes)})`);
  lines.push(
    table([
      ['IR version', String(info.irVersion)],
      ['Opsets', Object.entries(info.opsets).map(([d, v]) => `${d} ${v}`).join(', ') || 'none'],
      ['Producer', `${info.producer.name} ${info.producer.version}`.trim() || 'unknown'],
      ['Graph', info.graphName || '(unnamed)'],
      ['Nodes', `${info.nodeCount}${info.subgraphCount > 0 ? ` (main graph and ${info.subgraphCount} subgraph${info.subgraphCount > 1 ? 's' : ''})` : ''}`],
      ['Parameters', `${formatCount(info.params)} (${info.params.toLocaleString('en-US')})`],
      ['Weight bytes', `${formatBytes(info.weightBytes)} (${info.weightBytes.toLocaleString('en-US')})`],
      ['Functions', String(info.functionCount)],
    ]),
  );
  const values = (vs: InfoResult['inputs']): string => (vs.length === 0 ? '  none' : table(vs.map((v) => [v.name, v.dtype, formatShape(v.shape)])));
  section('Inputs', values(info.inputs));
  section('Outputs', values(info.outputs));
  section('Op types', table(Object.entries(info.opTypes).map(([op, n]) => [op, String(n)])));
  section(
    'External data',
    info.externalData.length === 0 ? '  none' : table(info.externalData.map((e) => [e.location, `${e.tensors} tensors`, formatBytes(e.bytes)])),
  );
  const metadata = Object.entries(info.metadata);
  if (metadata.length > 0) section('Metadata', table(metadata.map(([k, v]) => [k, v.length > 80 ? `${v.slice(0, 77)}…` : v])));
  section('Findings', info.findings.length === 0 ? '  none' : info.findings.map((f) => `  ${f.severity}: ${f.message} [${f.graphPath}]`).join('\n'));
  return lines.join('\n');
}
