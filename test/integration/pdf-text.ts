/**
 * Just enough of a PDF reader to check what a Chromium-printed PDF says: objects, Flate streams,
 * Type0 fonts with their ToUnicode CMaps, and the Tj/TJ strings of each page's content, decoded
 * to text. Not a general PDF parser (no xref streams, no object streams, no encryption) — Skia's
 * PDF writer, which Chromium and Electron print with, uses none of those.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)(?:stream\r?\n([\s\S]*?)\r?\nendstream)?\s*endobj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const dict = m[2] ?? '';
    let stream: Buffer | null = null;
    if (m[3] !== undefined) {
      const raw = Buffer.from(m[3], 'latin1');
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw;
    }
    objects.set(Number(m[1]), { dict, stream });
  }
  return objects;
}

const hexCodes = (hex: string): number[] => {
  const clean = hex.replace(/\s+/g, '');
  const codes: number[] = [];
  for (let i = 0; i + 4 <= clean.length; i += 4) codes.push(parseInt(clean.slice(i, i + 4), 16));
  return codes;
};

const utf16 = (hex: string): string => String.fromCharCode(...hexCodes(hex));

/** bfchar and bfrange entries of a ToUnicode CMap: glyph code → text. */
function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code = '', uni = ''] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(code, 16), utf16(uni));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo = '', hi = '', uni = ''] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const first = parseInt(uni, 16);
      for (let c = parseInt(lo, 16); c <= parseInt(hi, 16); c++) map.set(c, String.fromCharCode(first + c - parseInt(lo, 16)));
    }
  }
  return map;
}

/** The text of every page, in content order; text blocks (BT…ET) are separated by newlines. */
export function pdfText(bytes: Uint8Array): string {
  const objects = readObjects(Buffer.from(bytes));
  const fontMaps = new Map<string, Map<number, string>>();
  const pages: string[] = [];
  for (const obj of objects.values()) {
    if (!/\/Type\s*\/Page\b/.test(obj.dict)) continue;
    const fonts = /\/Font\s*<<([^>]*)>>/.exec(obj.dict)?.[1] ?? '';
    for (const [, name = '', ref = ''] of fonts.matchAll(/\/(\w+)\s+(\d+)\s+0\s+R/g)) {
      const toUnicode = /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(objects.get(Number(ref))?.dict ?? '')?.[1];
      const cmap = toUnicode ? objects.get(Number(toUnicode))?.stream : null;
      if (cmap) fontMaps.set(`${obj.dict}|${name}`, parseCMap(cmap.toString('latin1')));
    }
    const contents = /\/Contents\s+(\d+)\s+0\s+R/.exec(obj.dict)?.[1];
    const content = contents ? objects.get(Number(contents))?.stream?.toString('latin1') : undefined;
    if (!content) continue;
    let font = new Map<number, string>();
    const out: string[] = [];
    const ops = /\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>\s*Tj|\[((?:[^\]])*)\]\s*TJ|\bET\b/g;
    for (const m of content.matchAll(ops)) {
      if (m[1] !== undefined) font = fontMaps.get(`${obj.dict}|${m[1]}`) ?? new Map();
      else if (m[2] !== undefined) out.push(hexCodes(m[2]).map((c) => font.get(c) ?? '').join(''));
      else if (m[3] !== undefined) for (const [, hex = ''] of m[3].matchAll(/<([0-9A-Fa-f\s]*)>/g)) out.push(hexCodes(hex).map((c) => font.get(c) ?? '').join(''));
      else out.push('\n');
    }
    pages.push(out.join(''));
  }
  return pages.join('\n');
}
