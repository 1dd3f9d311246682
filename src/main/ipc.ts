/**
 * Electron IPC from the same dispatch serve mode uses: one invoke channel (method name first),
 * one event channel. Only messages from our own windows' frames are answered.
 */
import { ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/ipc';
import type { Result } from '../shared/errors';
import { dispatch } from './dispatch';
import type { Services } from './services';

export function registerIpc(services: Services, windows: () => BrowserWindow[]): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, args: unknown): Promise<Result<unknown>> => {
    const fromOurWindow = windows().some((w) => w.webContents.id === event.sender.id);
    if (!fromOurWindow) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'unknown sender' } };
    if (typeof method !== 'string') return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'method must be a string' } };
    return dispatch(services, method, args);
  });
  const unsubscribe = services.events.onAny((name, payload) => {
    for (const win of windows()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
}
