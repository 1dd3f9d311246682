import type { AppErrorShape, ErrorCode } from '../../shared/errors';

const KNOWN_CODES: readonly ErrorCode[] = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'PARSE_ERROR',
  'UNSUPPORTED',
  'DEVICE_UNAVAILABLE',
  'CONFLICT',
  'UNAUTHORIZED',
  'INTERNAL',
];

/** What every failed call rejects with in the renderer: the main side's {code, message}, kept as data. */
export class ClientError extends Error implements AppErrorShape {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (KNOWN_CODES as readonly string[]).includes(value);
}

/** Normalises anything thrown by a transport into a ClientError, keeping the code when there is one. */
export function toClientError(error: unknown): ClientError {
  if (error instanceof ClientError) return error;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' && message.length > 0 ? message : 'Unknown error';
    // Electron's ipcRenderer prefixes messages with "Error invoking remote method ...": keep the tail.
    const cleaned = text.replace(/^Error invoking remote method '[^']*': (Error: )?/, '');
    return new ClientError(isErrorCode(code) ? code : 'INTERNAL', cleaned);
  }
  return new ClientError('INTERNAL', String(error));
}

/** A one-line text for banners: "Could not read the file (PARSE_ERROR)". */
export function describeError(error: unknown): string {
  const e = toClientError(error);
  return `${e.message} (${e.code})`;
}
