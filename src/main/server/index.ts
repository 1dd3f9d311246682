/**
 * Serve mode: the same services and the same built renderer over HTTP + WebSocket on 127.0.0.1.
 * Static files are public (they hold no data); every API call and the WebSocket need the token,
 * which the page reads from its own URL.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { HTTP_API_PREFIX, LESSON_MEDIA_PREFIX, TOKEN_QUERY_PARAM, WS_PATH } from '../../shared/wire';
import { createServices } from '../services';
import { handleLessonMedia } from '../services/lessons-media';
import type { Services } from '../services';
import { generateToken, isLoopbackHost } from './auth';
import { handleApi, sendJson } from './http-api';
import { contentSecurityPolicy, serveStatic } from './static-files';
import { createWsBridge } from './ws-bridge';
import { RECORDING_HTTP_PREFIX, serveAttemptRecording } from '../live/recording-http';

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Generated (crypto.randomBytes) when absent. */
  token?: string;
  dataDir: string;
  rendererDir: string;
  /** Use these services instead of creating (and later disposing) new ones. */
  services?: Services;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  services: Services;
  close(): Promise<void>;
}

export function missingRendererMessage(rendererDir: string): string {
  return `The app is not built: ${join(rendererDir, 'index.html')} is missing. Run \`npm run build\` first.`;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new AppError('NOT_FOUND', missingRendererMessage(options.rendererDir));
  }
  if (options.token !== undefined && options.token.length < 8) {
    throw new AppError('INVALID_ARGUMENT', 'The token must be at least 8 characters.');
  }
  const token = options.token ?? generateToken();
  const ownsServices = !options.services;
  const services = options.services ?? createServices({ dataDir: options.dataDir, mode: 'serve' });
  const bridge = createWsBridge(services, token);
  const startedAt = Date.now();
  let port = options.port;

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isLoopbackHost(req.headers.host, port)) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Wrong Host header');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The token travels in the page URL: never leak it through a Referer.
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (url.pathname === '/health') {
      sendJson(res, 200, { ok: true, version: (await services.handlers['app.info']({})).version, uptimeSec: (Date.now() - startedAt) / 1000, clients: bridge.clientCount() });
      return;
    }
    if (url.pathname.startsWith(HTTP_API_PREFIX)) {
      await handleApi(services, token, req, res, url.pathname);
      return;
    }
    if (url.pathname.startsWith(LESSON_MEDIA_PREFIX)) {
      handleLessonMedia(services.lessons, token, req, res, url);
      return;
    }
    if (url.pathname.startsWith(RECORDING_HTTP_PREFIX)) {
      await serveAttemptRecording(services.db, services.dataDir, token, req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed');
      return;
    }
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host ?? `127.0.0.1:${port}`));
    res.setHeader('X-Frame-Options', 'DENY');
    serveStatic(options.rendererDir, req, res, url.pathname);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      console.error('seminote: request failed:', err);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Internal error' } });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== WS_PATH || !isLoopbackHost(req.headers.host, port)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    bridge.handleUpgrade(req, socket, head, url);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    bridge.close();
    if (ownsServices) services.dispose();
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError('CONFLICT', code === 'EADDRINUSE' ? `Port ${options.port} is already in use.` : `Cannot listen: ${(err as Error).message}`);
  }
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    token,
    services,
    close() {
      closing ??= new Promise<void>((resolve) => {
        bridge.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        if (ownsServices) services.dispose();
      });
      return closing;
    },
  };
}
