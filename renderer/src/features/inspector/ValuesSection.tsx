import type { ValueRef } from '../../../../engine/core/analysis/types.js';
import { shapeText } from '../layers/format.js';
import type { ClassifiedInput } from './classify.js';

interface Props {
  readonly title: string;
  readonly values: readonly (ValueRef | ClassifiedInput)[];
  /** Selects the node that computes a value. */
  readonly onSelect?: (name: string) => void;
}

/** A node's inputs (with where each comes from) or outputs, with dtype and shape. */
export function ValuesSection({ title, values, onSelect }: Props) {
  return (
    <section className="inspector-section" aria-label={title}>
      <h3>{title}</h3>
      {values.length === 0 ? <p className="inspector-note">None.</p> : null}
      <ul className="inspector-values">
        {values.map((v, i) => {
          const input = 'kind' in v ? v : null;
          const value = input ? input.value : (v as ValueRef);
          return (
            <li key={i}>
              <div className="value-line">
                <span className="mono value-name" title={value.name}>
                  {value.name === '' ? '(omitted)' : value.name}
                </span>
                {input && input.kind !== 'omitted' ? <span className={`value-kind kind-${input.kind.replace(' ', '-')}`}>{input.kind}</span> : null}
              </div>
              <div className="value-type mono">
                {value.name === '' ? '' : `${value.dtype} ${shapeText(value.shape)}`}
                {input?.producer && onSelect ? (
                  <button type="button" className="link-button" onClick={() => onSelect(input.producer!)} title={`Select ${input.producer}`}>
                    from {input.producer}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
