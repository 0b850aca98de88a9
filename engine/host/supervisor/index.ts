export { SupervisorCaller } from './caller.js';
export { describeExit, type HostExit, type HostProcess, type SpawnHost } from './host-process.js';
export { EngineSupervisor, type RunningJob, type SupervisorOptions } from './supervisor.js';
