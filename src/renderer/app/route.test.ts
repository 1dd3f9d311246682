import { describe, expect, it } from 'vitest';
import type { Route } from './route';
import { formatRoute, parseRoute } from './route';

describe('hash routes', () => {
  it('round-trips every route', () => {
    const routes: Route[] = [
      { name: 'library' },
      { name: 'practice', pieceId: 3 },
      { name: 'practice', pieceId: null },
      { name: 'progress', pieceId: 4, attemptId: null },
      { name: 'progress', pieceId: null, attemptId: 9 },
      { name: 'progress', pieceId: null, attemptId: null },
      { name: 'settings' },
      { name: 'diagnostics' },
      { name: 'lessons', lessonId: null },
      { name: 'lessons', lessonId: 12 },
    ];
    for (const r of routes) expect(parseRoute(formatRoute(r))).toEqual(r);
  });

  it('falls back to the library for unknown or malformed hashes', () => {
    expect(parseRoute('')).toEqual({ name: 'library' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'library' });
    expect(parseRoute('#/practice/abc')).toEqual({ name: 'practice', pieceId: null });
    expect(parseRoute('#/practice/0')).toEqual({ name: 'practice', pieceId: null });
  });
});
