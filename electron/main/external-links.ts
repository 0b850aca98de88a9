/**
 * Whether `url` may be handed to the system browser: only https, and never with credentials.
 * Other schemes (file:, smb:, custom protocol handlers) can run programs or leak files.
 */
export function mayOpenExternally(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
