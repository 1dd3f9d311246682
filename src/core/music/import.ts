/**
 * One entry point for user files: picks the parser by extension (or by content when the
 * extension says nothing) and guarantees that every failure is an AppError naming the problem.
 */
import { AppError } from '../../shared/errors';
import type { Score } from '../../shared/score';
import { parseMidiScore } from './midi';
import { parseMusicXml } from './musicxml';
import { parseMxl } from './mxl';
import { decodeXmlBytes } from './text';

type Format = 'musicxml' | 'mxl' | 'midi';

function sniff(bytes: Uint8Array): Format | null {
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  if (head === 'MThd') return 'midi';
  if (head.startsWith('PK')) return 'mxl';
  const text = decodeXmlBytes(bytes.subarray(0, 512)).trimStart();
  if (text.startsWith('<')) return 'musicxml';
  return null;
}

function formatOf(fileName: string, bytes: Uint8Array): Format {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  switch (ext) {
    case 'mid':
    case 'midi':
      return 'midi';
    case 'mxl':
      return 'mxl';
    case 'musicxml':
    case 'xml':
      // Some tools save compressed MusicXML under .xml / .musicxml.
      return sniff(bytes) === 'mxl' ? 'mxl' : 'musicxml';
    default: {
      const sniffed = sniff(bytes);
      if (sniffed) return sniffed;
      const shown = ext ? `.${ext}` : 'without extension';
      throw new AppError('UNSUPPORTED', `unsupported file type ${shown}: expected .musicxml, .xml, .mxl, .mid or .midi`);
    }
  }
}

function baseTitle(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '') || 'Untitled';
}

export function importScore(fileName: string, bytes: Uint8Array): Score {
  if (bytes.length === 0) throw new AppError('PARSE_ERROR', `${fileName}: the file is empty`);
  try {
    const format = formatOf(fileName, bytes);
    const score =
      format === 'midi'
        ? parseMidiScore(bytes, baseTitle(fileName))
        : format === 'mxl'
          ? parseMxl(bytes)
          : parseMusicXml(decodeXmlBytes(bytes));
    if (score.title === 'Untitled') score.title = baseTitle(fileName);
    return score;
  } catch (error) {
    if (error instanceof AppError) throw error;
    // A parser bug or a file shape we did not foresee: still a named, typed error for the caller.
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError('PARSE_ERROR', `${fileName}: could not read the score (${detail})`);
  }
}
