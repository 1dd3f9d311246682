/**
 * HTML → PDF for the lesson report. The report is already a self-contained, print-styled HTML
 * page, so the PDF is that page printed by a browser engine: Electron's own Chromium
 * (webContents.printToPDF) in the desktop app, else a headless Chromium binary (serve mode, CLI,
 * tests). Without either, a clear UNSUPPORTED error says what to install.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../shared/errors';

export interface PdfEngine {
  /** What prints, for messages ("chromium /usr/bin/chromium", "electron"). */
  readonly name: string;
  htmlToPdf(html: string): Promise<Uint8Array>;
}

/** Where Debian, Ubuntu, Fedora and macOS put a Chromium or Chrome binary. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const PRINT_TIMEOUT_MS = 90_000;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const NO_PDF_ENGINE_MESSAGE =
  'PDF export needs a Chromium browser to print the report: install chromium (or Google Chrome), or set SEMINOTE_CHROMIUM to its path. The HTML report exports without it.';

/**
 * Picks the engine: Electron when running inside it, else $SEMINOTE_CHROMIUM (which must exist),
 * else the first Chromium found. Throws UNSUPPORTED when there is none.
 */
export function findPdfEngine(options: { env?: NodeJS.ProcessEnv; electron?: boolean; candidates?: readonly string[]; executable?: (path: string) => boolean } = {}): PdfEngine {
  const env = options.env ?? process.env;
  const executable = options.executable ?? isExecutable;
  if (options.electron ?? Boolean(process.versions['electron'])) return electronPdfEngine();
  const configured = env['SEMINOTE_CHROMIUM'];
  if (configured) {
    if (!executable(configured)) throw new AppError('UNSUPPORTED', `SEMINOTE_CHROMIUM is ${configured}, which is not an executable file. ${NO_PDF_ENGINE_MESSAGE}`);
    return chromiumPdfEngine(configured);
  }
  const found = (options.candidates ?? CHROMIUM_CANDIDATES).find(executable);
  if (!found) throw new AppError('UNSUPPORTED', NO_PDF_ENGINE_MESSAGE);
  return chromiumPdfEngine(found);
}

/** Prints through `chromium --headless --print-to-pdf` with a throwaway profile (another Chromium may be running). */
export function chromiumPdfEngine(binary: string): PdfEngine {
  return {
    name: `chromium ${binary}`,
    async htmlToPdf(html) {
      const dir = mkdtempSync(join(tmpdir(), 'seminote-pdf-'));
      try {
        const input = join(dir, 'report.html');
        const output = join(dir, 'report.pdf');
        writeFileSync(input, html, 'utf8');
        const args = [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-extensions',
          '--disable-background-networking',
          '--no-pdf-header-footer',
          `--user-data-dir=${join(dir, 'profile')}`,
          `--print-to-pdf=${output}`,
          pathToFileURL(input).href,
        ];
        const { code, stderr } = await run(binary, args, PRINT_TIMEOUT_MS);
        let pdf: Uint8Array;
        try {
          pdf = new Uint8Array(readFileSync(output));
        } catch {
          throw new AppError('INTERNAL', `Chromium (${binary}) did not write the PDF (exit code ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
        }
        if (!isPdf(pdf)) throw new AppError('INTERNAL', `Chromium (${binary}) wrote a file that is not a PDF.`);
        return pdf;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function run(binary: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      // Chromium is chatty (dbus warnings); only the tail matters for an error message.
      stderr = (stderr + c.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new AppError('UNSUPPORTED', `Cannot start ${binary} to print the PDF: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') reject(new AppError('INTERNAL', `Chromium took longer than ${timeoutMs / 1000} s to print the PDF.`));
      else resolve({ code, stderr });
    });
  });
}

/** Electron: a hidden window with scripts off loads the report and prints it. */
function electronPdfEngine(): PdfEngine {
  return {
    name: 'electron',
    async htmlToPdf(html) {
      const { BrowserWindow } = await import('electron');
      const win = new BrowserWindow({ show: false, webPreferences: { javascript: false, sandbox: true } });
      try {
        await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
        const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
        return new Uint8Array(pdf);
      } finally {
        win.destroy();
      }
    },
  };
}

export function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 32))).toString('latin1');
  return head === '%PDF-' && tail.includes('%%EOF');
}
