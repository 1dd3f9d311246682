import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startServer } from '../server';
import { EXIT_OK, UsageError, defaultDataDir, defaultRendererDir } from './common';

export const SERVE_USAGE = 'seminote serve [--port N] [--token T] [--data-dir D] [--open]';

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => process.stderr.write(`seminote: could not open a browser (${command}); open the URL above.\n`));
    child.unref();
  } catch {
    process.stderr.write('seminote: could not open a browser; open the URL above.\n');
  }
}

export function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new UsageError(`--port must be an integer 0..65535, got "${raw}".`);
  return port;
}

/** Runs until SIGINT/SIGTERM, then closes the server (saving any running take) and returns 0. */
export async function runServe(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      token: { type: 'string' },
      'data-dir': { type: 'string' },
      open: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}". Usage: ${SERVE_USAGE}`);
  const server = await startServer({
    port: parsePort(values.port),
    ...(values.token !== undefined ? { token: values.token } : {}),
    dataDir: values['data-dir'] ?? defaultDataDir(),
    rendererDir: defaultRendererDir(),
  });
  process.stdout.write(`Seminote serving at ${server.url}\n`);
  if (values.open) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return EXIT_OK;
}
