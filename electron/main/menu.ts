import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';

export interface MenuActions {
  readonly openFile: () => void;
  readonly openRecent: (path: string) => void;
  readonly clearRecent: () => void;
  readonly showAbout: () => void;
}

/** The application menu: File (open, recent, quit), Edit (copy for selectable text), View, Help. */
export function menuTemplate(actions: MenuActions, recent: readonly string[], platform: NodeJS.Platform, isPackaged: boolean): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No recent models', enabled: false }]
      : [...recent.map((path): MenuItemConstructorOptions => ({ label: basename(path), sublabel: path, toolTip: path, click: () => actions.openRecent(path) })), { type: 'separator' }, { label: 'Clear Recent', click: actions.clearRecent }];
  const about: MenuItemConstructorOptions = { label: 'About Whittle', click: actions.showAbout };
  return [
    ...(isMac ? [{ label: 'Whittle', submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Model…', accelerator: 'CmdOrCtrl+O', click: actions.openFile },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: 'Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    {
      label: 'View',
      submenu: [...(isPackaged ? [] : [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const]), { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    ...(isMac ? [] : [{ label: 'Help', submenu: [about] } satisfies MenuItemConstructorOptions]),
  ];
}
