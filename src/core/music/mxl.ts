/** Compressed MusicXML (.mxl): a zip whose META-INF/container.xml names the root score file. */
import { unzipSync } from 'fflate';
import { AppError } from '../../shared/errors';
import type { Score } from '../../shared/score';
import { parseMusicXml } from './musicxml';
import { decodeXmlBytes } from './text';
import { child, childrenNamed, parseXmlDocument } from './xml-tree';

export function parseMxl(bytes: Uint8Array): Score {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new AppError('PARSE_ERROR', 'not an MXL file: missing zip signature');
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new AppError('PARSE_ERROR', `corrupt MXL archive: ${(error as Error).message || String(error)}`);
  }
  const container = files['META-INF/container.xml'];
  if (container === undefined) throw new AppError('PARSE_ERROR', 'MXL archive has no META-INF/container.xml');
  let rootPath: string | undefined;
  try {
    const doc = parseXmlDocument(decodeXmlBytes(container));
    const rootfiles = child(doc, 'rootfiles');
    const first = rootfiles ? childrenNamed(rootfiles, 'rootfile')[0] : undefined;
    rootPath = first?.attrs['full-path'];
  } catch (error) {
    if (error instanceof AppError) throw new AppError('PARSE_ERROR', `MXL container.xml: ${error.message}`);
    throw error;
  }
  if (rootPath === undefined) throw new AppError('PARSE_ERROR', 'MXL container.xml names no rootfile');
  const rootBytes = files[rootPath];
  if (rootBytes === undefined) throw new AppError('PARSE_ERROR', `MXL archive lacks its root file ${rootPath}`);
  return parseMusicXml(decodeXmlBytes(rootBytes));
}
