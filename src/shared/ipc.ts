/** Electron IPC channels: one for invocations (method name as first argument), one for push events. */
export const IPC_INVOKE_CHANNEL = 'seminote:invoke';
export const IPC_EVENT_CHANNEL = 'seminote:event';
