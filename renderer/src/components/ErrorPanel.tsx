import type { ProtocolError } from '../../../engine/protocol/index.js';
import { adviceFor, codeSpans } from './error-advice.js';

interface Props {
  readonly error: ProtocolError;
  /** Shown as a button when there is somewhere to go back to. */
  readonly backLabel?: string;
  readonly onBack?: () => void;
}

export function ErrorPanel({ error, backLabel, onBack }: Props) {
  const advice = adviceFor(error.code);
  return (
    <section className="error-panel" role="alert" aria-labelledby="error-title">
      <h2 id="error-title">{advice.title}</h2>
      <p className="error-message">{error.message}</p>
      <p className="error-next">
        {codeSpans(advice.next).map((part, i) => (part.code ? <code key={i}>{part.text}</code> : part.text))}
      </p>
      {onBack && backLabel ? (
        <button type="button" className="button" onClick={onBack}>
          {backLabel}
        </button>
      ) : null}
    </section>
  );
}
