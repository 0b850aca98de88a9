import { useState, type FormEvent } from 'react';
import { DevicePicker } from '../features/devices/DevicePicker.js';
import { selectModel, selectModelStatus, selectOpenModel, useWorkbench } from '../store/index.js';

export function TopBar() {
  const openModel = useWorkbench(selectOpenModel);
  const loading = useWorkbench(selectModelStatus) === 'loading';
  const hasModel = useWorkbench(selectModel) !== null;
  const [path, setPath] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim() !== '') void openModel(path.trim());
  };
  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Whittle
      </div>
      <form className="open-form" onSubmit={submit}>
        <input
          className="path-input"
          name="path"
          aria-label="Model path"
          placeholder="Path to an .onnx model"
          spellCheck={false}
          autoComplete="off"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" className="button primary" disabled={loading || path.trim() === ''}>
          Open
        </button>
      </form>
      {hasModel ? <DevicePicker /> : null}
    </header>
  );
}
