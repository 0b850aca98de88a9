import { describe, expect, it } from 'vitest';
import { EngineSupervisor } from '../../../engine/host/supervisor/index.js';
import type { HostProcess } from '../../../engine/host/supervisor/host-process.js';
import { request } from '../../../engine/protocol/index.js';

/** A host that says nothing until `speak()`, then answers every message (pings with pongs). */
function quietHost(): { host: HostProcess; speak: () => void; killed: () => boolean } {
  let listener: (message: unknown) => void = () => undefined;
  let speaking = false;
  let killed = false;
  const host: HostProcess = {
    postMessage: (message) => {
      const { type, id } = message as { type: string; id?: number };
      if (!speaking) return;
      queueMicrotask(() => listener(type === 'ping' ? { type: 'pong' } : { type: 'response', id, result: null }));
    },
    onMessage: (l) => (listener = l),
    onExit: () => undefined,
    kill: () => (killed = true),
  };
  return { host, speak: () => (speaking = true), killed: () => killed };
}

const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('engine supervisor: a host slow to start', () => {
  it('gets startupMs before its first message, and hangAfterMs once it has spoken', async () => {
    const hosts: ReturnType<typeof quietHost>[] = [];
    const supervisor = new EngineSupervisor(
      () => {
        hosts.push(quietHost());
        return hosts.at(-1)!.host;
      },
      { heartbeatMs: 10, hangAfterMs: 40, startupMs: 2000, minLifetimeMs: 0 },
    );
    supervisor.start();
    try {
      // Silent for far longer than hangAfterMs, but still starting: not replaced.
      await wait(300);
      expect(hosts).toHaveLength(1);
      hosts[0]!.speak();
      expect(await supervisor.run(request(1, 'model.current', {})).response).toEqual({ type: 'response', id: 1, result: null });
      // Once it has spoken, the short limit applies: a host gone quiet is replaced.
      hosts[0]!.host.postMessage = () => undefined;
      await wait(300);
      expect(hosts[0]!.killed()).toBe(true);
      expect(hosts).toHaveLength(2);
      // One that never speaks at all is replaced after startupMs.
      await wait(2500);
      expect(hosts[1]!.killed()).toBe(true);
      expect(hosts.length).toBeGreaterThanOrEqual(3);
    } finally {
      supervisor.stop();
    }
  });
});
