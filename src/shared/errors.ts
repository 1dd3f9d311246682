/** Errors cross every boundary as data, never as thrown strings. */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'PARSE_ERROR'
  | 'UNSUPPORTED'
  | 'DEVICE_UNAVAILABLE'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'INTERNAL';

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
}

/** A thrown error that carries a code; services throw it, transports turn it into AppErrorShape. */
export class AppError extends Error implements AppErrorShape {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
