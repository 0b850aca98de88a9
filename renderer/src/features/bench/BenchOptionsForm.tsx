import { useId, useState, type FormEvent } from 'react';
import { InputValues } from './InputValues.js';
import { selectAnalysis, selectBenchStatus, selectCancelBench, selectInputDims, selectInputFiles, selectRunBench, useWorkbench } from '../../store/index.js';
import { DEFAULT_FORM, inputSummary, toBenchmarkOptions, type BenchField, type BenchForm, type FormErrors } from './bench-form.js';

const FIELDS: readonly { readonly field: BenchField; readonly label: string; readonly placeholder?: string }[] = [
  { field: 'threads', label: 'Threads', placeholder: 'auto' },
  { field: 'runs', label: 'Timed runs' },
  { field: 'warmupRuns', label: 'Warm-up runs' },
];

/** What to measure: threads, runs, warm-up, per-node timing; the input dims are the analysis' own. */
export function BenchOptionsForm() {
  const id = useId();
  const analysis = useWorkbench(selectAnalysis);
  const inputDims = useWorkbench(selectInputDims);
  const inputFiles = useWorkbench(selectInputFiles);
  const running = useWorkbench(selectBenchStatus) === 'running';
  const runBench = useWorkbench(selectRunBench);
  const cancelBench = useWorkbench(selectCancelBench);
  const [form, setForm] = useState<BenchForm>(DEFAULT_FORM);
  const [errors, setErrors] = useState<FormErrors>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = toBenchmarkOptions(form, inputDims, inputFiles);
    setErrors(result.ok ? {} : result.errors);
    if (result.ok) void runBench(result.options);
  };

  return (
    <form className="bench-form" onSubmit={submit} noValidate>
      <div className="bench-fields">
        {FIELDS.map(({ field, label, placeholder }) => (
          <div key={field} className="bench-field">
            <label htmlFor={`${id}-${field}`}>{label}</label>
            <input
              id={`${id}-${field}`}
              inputMode="numeric"
              autoComplete="off"
              placeholder={placeholder}
              value={form[field]}
              disabled={running}
              aria-invalid={errors[field] !== undefined}
              aria-describedby={errors[field] === undefined ? undefined : `${id}-${field}-error`}
              onChange={(e) => setForm({ ...form, [field]: e.target.value })}
            />
          </div>
        ))}
        <label className="bench-check">
          <input type="checkbox" checked={form.perNode} disabled={running} onChange={(e) => setForm({ ...form, perNode: e.target.checked })} />
          Per-node timing
        </label>
        <div className="bench-actions">
          {running ? (
            <button type="button" className="button" onClick={cancelBench}>
              Cancel
            </button>
          ) : (
            <button type="submit" className="button primary" disabled={analysis === null}>
              Run benchmark
            </button>
          )}
        </div>
      </div>
      {Object.entries(errors).map(([field, message]) => (
        <p key={field} id={`${id}-${field}-error`} className="bench-field-error" role="alert">
          {message}
        </p>
      ))}
      {analysis === null ? null : (
        <p className="bench-inputs">
          Inputs <span className="mono">{inputSummary(analysis.inputs)}</span>
          {analysis.unpinnedDims.length > 0 ? <span className="bench-warning"> · unpinned: {analysis.unpinnedDims.join(', ')}</span> : null}
        </p>
      )}
      <InputValues disabled={running} />
    </form>
  );
}
