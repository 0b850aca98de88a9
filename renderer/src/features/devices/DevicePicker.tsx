import { useEffect, useId } from 'react';
import { selectAnalysis, selectAnalysisProgress, selectAnalysisStatus, selectAnalyze, selectDeviceId, selectDevices, useWorkbench } from '../../store/index.js';
import { deviceDetails, deviceGroups, deviceSummary } from './device-options.js';
import './devices.css';

/** Chooses the device every prediction is for; changing it analyzes the model again. */
export function DevicePicker() {
  const id = useId();
  const devices = useWorkbench(selectDevices);
  const deviceId = useWorkbench(selectDeviceId);
  const analyze = useWorkbench(selectAnalyze);
  const analysis = useWorkbench(selectAnalysis);
  const status = useWorkbench(selectAnalysisStatus);
  const progress = useWorkbench(selectAnalysisProgress);

  useEffect(() => {
    void useWorkbench.getState().loadDevices();
  }, []);

  const current = analysis?.device.profile.id === deviceId ? analysis.device.profile : devices.find((d) => d.id === deviceId);
  const note = progress !== null ? progress.message : status === 'loading' ? 'Analyzing…' : current === undefined ? null : deviceSummary(current);
  return (
    <div className="device-picker">
      <label htmlFor={id}>Device</label>
      <select id={id} value={deviceId} onChange={(e) => void analyze({ deviceId: e.target.value })} title={current === undefined ? undefined : deviceDetails(current)}>
        {deviceGroups(devices).map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {note === null ? null : (
        <span className="device-note" role="status">
          {note}
        </span>
      )}
    </div>
  );
}
