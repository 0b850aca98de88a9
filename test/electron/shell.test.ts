import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { mayOpenExternally } from '../../electron/main/external-links.js';
import { menuTemplate } from '../../electron/main/menu.js';
import { MAX_RECENT, loadRecent, saveRecent, withRecent } from '../../electron/main/recent-files.js';

const submenu = (items: MenuItemConstructorOptions[], label: string) => items.find((i) => i.label === label)!.submenu as MenuItemConstructorOptions[];

describe('desktop shell', () => {
  const actions = { openFile: vi.fn(), openRecent: vi.fn(), clearRecent: vi.fn(), showAbout: vi.fn() };

  it('has File › Open Model… on Ctrl/Cmd+O and lists recent models by name with their paths', () => {
    const menu = menuTemplate(actions, ['/m/a.onnx', '/m/b.onnx'], 'linux', true);
    const file = submenu(menu, 'File');
    expect(file[0]).toMatchObject({ label: 'Open Model…', accelerator: 'CmdOrCtrl+O' });
    const recent = (file[1]!.submenu as MenuItemConstructorOptions[]).filter((i) => i.type !== 'separator');
    expect(recent.map((i) => [i.label, i.sublabel])).toEqual([['a.onnx', '/m/a.onnx'], ['b.onnx', '/m/b.onnx'], ['Clear Recent', undefined]]);
    (recent[1]!.click as () => void)();
    expect(actions.openRecent).toHaveBeenCalledWith('/m/b.onnx');
    expect(submenu(menu, 'Help').map((i) => i.label)).toEqual(['About Whittle']);
    expect(submenu(menu, 'View').some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  it('says when there are no recent models, and follows macOS conventions there', () => {
    const menu = menuTemplate(actions, [], 'darwin', false);
    expect(menu[0]!.label).toBe('Whittle');
    expect((submenu(menu, 'File')[1]!.submenu as MenuItemConstructorOptions[])[0]).toMatchObject({ label: 'No recent models', enabled: false });
    expect(submenu(menu, 'View').some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(menu.some((i) => i.label === 'Help')).toBe(false);
  });

  it('keeps recent models newest first, once each, at most ten; a bad file is an empty list', async () => {
    let list: string[] = [];
    for (let i = 0; i < 12; i++) list = withRecent(list, `/m/${i}.onnx`);
    list = withRecent(list, '/m/5.onnx');
    expect(list).toHaveLength(MAX_RECENT);
    expect(list.slice(0, 3)).toEqual(['/m/5.onnx', '/m/11.onnx', '/m/10.onnx']);
    const dir = await mkdtemp(join(tmpdir(), 'whittle-recent-'));
    try {
      const file = join(dir, 'recent.json');
      expect(await loadRecent(file)).toEqual([]);
      await saveRecent(file, list);
      expect(await loadRecent(file)).toEqual(list);
      await writeFile(file, JSON.stringify(['relative.onnx', 42, '/ok.onnx']));
      expect(await loadRecent(file)).toEqual(['/ok.onnx']);
      await writeFile(file, '{ broken');
      expect(await loadRecent(file)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hands only https links without credentials to the system browser', () => {
    expect(mayOpenExternally('https://onnxruntime.ai/docs/')).toBe(true);
    for (const url of ['http://example.com', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'https://user:pw@example.com', 'not a url']) {
      expect(mayOpenExternally(url), url).toBe(false);
    }
  });
});
