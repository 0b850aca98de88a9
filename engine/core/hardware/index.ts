export { DEVICE_CATALOG, findDevice } from './catalog.js';
export * from './device.js';
export { attainableOpsPerSec, peakFor, placeOnRoofline, ridgePoint, type RooflinePlacement, type Work } from './roofline.js';
export { deviceProfileProblem } from './validate.js';
