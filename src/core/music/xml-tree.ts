/**
 * A small element tree over fast-xml-parser's preserveOrder output. MusicXML meaning depends on
 * the order of siblings (note / backup / forward / direction inside a measure), so the parser keeps
 * document order and this module turns its `{ tag: children, ':@': attrs }` records into elements.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../shared/errors';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content, trimmed. */
  text: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

function toElement(name: string, node: OrderedNode): XmlElement {
  const attrsRaw = (node[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrsRaw)) attrs[key] = String(value);
  const rawChildren = node[name];
  const children: XmlElement[] = [];
  let text = '';
  if (Array.isArray(rawChildren)) {
    for (const child of rawChildren as OrderedNode[]) {
      if (child === null || typeof child !== 'object') continue;
      if ('#text' in child) {
        text += String(child['#text']);
        continue;
      }
      const childName = Object.keys(child).find((k) => k !== ':@');
      if (childName !== undefined) children.push(toElement(childName, child));
    }
  }
  return { name, attrs, children, text: text.trim() };
}

/** Parses XML text into its root element; malformed XML gives PARSE_ERROR naming line and column. */
export function parseXmlDocument(xml: string): XmlElement {
  if (xml.trim() === '') throw new AppError('PARSE_ERROR', 'empty file: no XML content');
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new AppError('PARSE_ERROR', `malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  const nodes = parser.parse(xml) as OrderedNode[];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text' && !k.startsWith('!') && !k.startsWith('?'));
    if (name !== undefined) return toElement(name, node);
  }
  throw new AppError('PARSE_ERROR', 'XML document has no root element');
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function childText(el: XmlElement, name: string): string | undefined {
  return child(el, name)?.text;
}

/** Parses a number child; undefined when absent or not a finite number. */
export function childNumber(el: XmlElement, name: string): number | undefined {
  const text = childText(el, name);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Depth-first search for descendants with a given name. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    for (const c of node.children) {
      if (c.name === name) found.push(c);
      visit(c);
    }
  };
  visit(el);
  return found;
}
