import { useId } from 'react';
import { selectAnalysis, selectInputFiles, selectSetInputFile, useWorkbench } from '../../store/index.js';
import { inputSummary } from './bench-form.js';
import './input-values.css';

/**
 * Where each graph input's values come from when the model runs (benchmarks, an optimization's
 * output check): seeded random unless a file is named. Some inputs only take real values (a
 * sample rate, token ids): they need a file.
 */
export function InputValues({ disabled }: { disabled: boolean }) {
  const id = useId();
  const analysis = useWorkbench(selectAnalysis);
  const files = useWorkbench(selectInputFiles);
  const setInputFile = useWorkbench(selectSetInputFile);
  if (analysis === null || analysis.inputs.length === 0) return null;
  const given = Object.keys(files).length;
  return (
    <details className="input-values">
      <summary>
        Input values: {given === 0 ? 'seeded random' : `${given} from file${given === 1 ? '' : 's'}, the rest seeded random`}
      </summary>
      <p className="muted">Give an input real values with the path of a .npy or .json file on the machine the engine runs on; its dims pin the input’s.</p>
      {analysis.inputs.map((input, i) => (
        <div key={input.name} className="input-values-row">
          <label htmlFor={`${id}-${i}`} className="mono">
            {inputSummary([input])} <span className="muted">{input.dtype}</span>
          </label>
          <input
            id={`${id}-${i}`}
            className="mono"
            placeholder="random"
            spellCheck={false}
            autoComplete="off"
            disabled={disabled}
            value={files[input.name] ?? ''}
            onChange={(e) => setInputFile(input.name, e.target.value)}
          />
        </div>
      ))}
    </details>
  );
}
