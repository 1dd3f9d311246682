/**
 * Preload: exposes ONE narrow object, window.seminote, that satisfies the bridge type.
 * Channel names are the contract's method and event names; nothing else crosses.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { MethodArgs, MethodName, MethodResult, PushEventName, PushEvents, SeminoteBridge } from '../shared/api';
import type { Result } from '../shared/errors';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/ipc';

const bridge = {
  async invoke<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    const result = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args)) as Result<MethodResult<M>>;
    if (result.ok) return result.value;
    // Errors cross as data; the renderer's api client turns this into its own error type.
    throw Object.assign(new Error(result.error.message), { code: result.error.code });
  },
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) listener(payload as PushEvents[E]);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
} satisfies SeminoteBridge;

contextBridge.exposeInMainWorld('seminote', bridge);
