import type { FileHandle } from 'node:fs/promises';

/**
 * Reads `length` bytes from file `position` into `target` at `offset`, however many reads it
 * takes; false when the file ends first.
 */
export async function readFully(handle: FileHandle, target: Uint8Array, offset: number, length: number, position: number): Promise<boolean> {
  for (let done = 0; done < length; ) {
    const { bytesRead } = await handle.read(target, offset + done, length - done, position + done);
    if (bytesRead === 0) return false;
    done += bytesRead;
  }
  return true;
}
