import type { ProtocolError } from '../../../engine/protocol/index.js';
import { adviceFor } from './error-advice.js';
import './job.css';

/** Why an engine job did not finish; a cancelled job is a plain note (`cancelledNote`), not an error. */
export function JobError({ error, cancelledNote }: { error: ProtocolError | null; cancelledNote: string }) {
  if (error === null) return null;
  if (error.code === 'cancelled') {
    return (
      <p className="job-note" role="status">
        {cancelledNote}
      </p>
    );
  }
  const advice = adviceFor(error.code);
  return (
    <div className="job-error" role="alert">
      <strong>{advice.title}</strong>
      <p className="job-error-message">{error.message}</p>
      <p className="muted">{advice.next.replaceAll('`', '')}</p>
    </div>
  );
}
