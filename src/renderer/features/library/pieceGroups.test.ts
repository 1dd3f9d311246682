import { describe, expect, it } from 'vitest';
import type { PieceRecord } from '../../../shared/api';
import { bytesToBase64 } from './fileData';
import { categoryLabel, groupPieces } from './pieceGroups';

const piece = (id: number, title: string, origin: 'starter' | 'import', category: string, difficulty: number | null): PieceRecord => ({
  id,
  title,
  composer: '',
  origin,
  difficulty,
  category,
  measureCount: 4,
  noteCount: 16,
  createdAt: 0,
});

describe('groupPieces', () => {
  it('puts imports first, then categories by name, easiest first inside each', () => {
    const groups = groupPieces([
      piece(1, 'C major scale', 'starter', 'Scales', 2),
      piece(2, 'Five-finger C', 'starter', 'Five-finger', 1),
      piece(3, 'My Waltz', 'import', '', null),
      piece(4, 'A minor scale', 'starter', 'Scales', 1),
    ]);
    expect(groups.map((g) => g.category)).toEqual(['Imported', 'Five finger', 'Scales']);
    expect(groups[2]!.pieces.map((p) => p.title)).toEqual(['A minor scale', 'C major scale']);
  });
});

describe('categoryLabel', () => {
  it('makes slugs readable', () => {
    expect(categoryLabel('five-finger')).toBe('Five finger');
    expect(categoryLabel('chords')).toBe('Chords');
    expect(categoryLabel('')).toBe('Other');
  });
});

describe('bytesToBase64', () => {
  it('matches Node for large inputs (chunked conversion)', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});
