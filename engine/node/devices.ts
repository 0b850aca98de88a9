import { DEVICE_CATALOG, findDevice, type DeviceProfile } from '../core/hardware/index.js';
import { cachedThisMachine, loadOrMeasureThisMachine } from './device-cache.js';

/** The id of the measured profile of the machine Whittle runs on. */
export const THIS_MACHINE = 'this-machine';

/**
 * The device a prediction is for: a catalog id, or `this-machine` (measured through onnxruntime
 * once and cached; `onMeasure` is called before a measurement starts). Throws a RangeError
 * naming the ids there are.
 */
export async function resolveDevice(id: string, options: { readonly onMeasure?: () => void; readonly signal?: AbortSignal } = {}): Promise<DeviceProfile> {
  if (id === THIS_MACHINE) return loadOrMeasureThisMachine(options);
  const device = findDevice(id);
  if (device === undefined) throw new RangeError(`unknown device "${id}"; choose ${THIS_MACHINE} or one of: ${DEVICE_CATALOG.map((d) => d.id).join(', ')}`);
  return device;
}

/** Every device a prediction can be for: this machine when it has been measured, then the catalog. */
export async function listDevices(): Promise<{ readonly devices: readonly DeviceProfile[]; readonly thisMachineMeasured: boolean }> {
  const thisMachine = await cachedThisMachine();
  return { devices: thisMachine === null ? DEVICE_CATALOG : [thisMachine, ...DEVICE_CATALOG], thisMachineMeasured: thisMachine !== null };
}
