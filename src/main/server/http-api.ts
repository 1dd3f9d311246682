/** `POST /api/<method>`: JSON args in, a Result out; Bearer token required. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode, Result } from '../../shared/errors';
import { HTTP_API_PREFIX } from '../../shared/wire';
import { dispatch } from '../dispatch';
import type { Services } from '../services';
import { bearerToken, tokensEqual } from './auth';

/** Large enough for a 50 MB base64 import (the schema's cap), small enough to bound memory. */
export const MAX_HTTP_BODY_BYTES = 52 * 1024 * 1024;

const STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  PARSE_ERROR: 422,
  UNSUPPORTED: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DEVICE_UNAVAILABLE: 503,
  UNAUTHORIZED: 401,
  INTERNAL: 500,
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function sendError(res: ServerResponse, code: ErrorCode, message: string): void {
  const body: Result<never> = { ok: false, error: { code, message } };
  sendJson(res, STATUS[code], body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      resolve(null);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooBig = true;
      if (!tooBig) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function handleApi(services: Services, token: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, 'INVALID_ARGUMENT', `Use POST for ${pathname}.`);
    return;
  }
  if (!tokensEqual(bearerToken(req), token)) {
    sendError(res, 'UNAUTHORIZED', 'Missing or wrong token: send "Authorization: Bearer <token>".');
    return;
  }
  const method = decodeURIComponent(pathname.slice(HTTP_API_PREFIX.length));
  const body = await readBody(req, MAX_HTTP_BODY_BYTES);
  if (body === null) {
    sendError(res, 'INVALID_ARGUMENT', `Request body is larger than ${MAX_HTTP_BODY_BYTES} bytes.`);
    return;
  }
  let args: unknown = {};
  if (body.length > 0) {
    try {
      args = JSON.parse(body.toString('utf8'));
    } catch (err) {
      sendError(res, 'INVALID_ARGUMENT', `Request body is not valid JSON: ${(err as Error).message}`);
      return;
    }
  }
  const result = await dispatch(services, method, args);
  sendJson(res, result.ok ? 200 : STATUS[result.error.code], result);
}
