import type { PieceRecord } from '../../../shared/api';

/** Groups pieces for display: imports first, then starter categories in name order. */
export function groupPieces(pieces: readonly PieceRecord[]): { category: string; pieces: PieceRecord[] }[] {
  const groups = new Map<string, PieceRecord[]>();
  for (const p of pieces) {
    const key = p.origin === 'import' ? 'Imported' : categoryLabel(p.category);
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === 'Imported' ? -1 : b === 'Imported' ? 1 : a.localeCompare(b)))
    .map(([category, list]) => ({
      category,
      pieces: list.sort((x, y) => (x.difficulty ?? 99) - (y.difficulty ?? 99) || x.title.localeCompare(y.title)),
    }));
}

/** "five-finger" -> "Five finger"; empty -> "Other". */
export function categoryLabel(category: string): string {
  const text = category.replace(/[-_]+/g, ' ').trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : 'Other';
}
