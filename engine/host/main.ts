// The engine host: a child process (Electron's utilityProcess or Node's fork) that runs the
// engine and speaks the Workbench protocol with its parent. `--model=PATH` opens PATH at start.
import { WorkbenchService } from '../node/workbench-service.js';
import { JobRegistry } from './job-registry.js';

interface Channel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Electron's utility processes have `process.parentPort`; Node's forked children have `process.send`. */
function parentChannel(): Channel {
  const port = (process as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void } }).parentPort;
  if (port) return { send: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (e) => l(e.data)) };
  const send = process.send?.bind(process);
  if (send) return { send: (m) => send(m), onMessage: (l) => process.on('message', l) };
  throw new Error('The engine host must be started as a child process with a message channel.');
}

const channel = parentChannel();
const service = new WorkbenchService();
const model = process.argv.find((a) => a.startsWith('--model='))?.slice('--model='.length);
if (model) service.openAtStart(model);
service.onEvent((message) => channel.send(message));
const jobs = new JobRegistry(service, (message) => channel.send(message));
channel.onMessage((message) => jobs.receive(message));
// The parent went away: nobody is left to answer.
process.on('disconnect', () => process.exit(0));
