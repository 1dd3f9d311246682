import { describe, expect, it } from 'vitest';
import { cursorAfter } from './cursorPolicy';

describe('cursorAfter', () => {
  it('moves forward with the judged notes', () => {
    expect(cursorAfter(null, 2)).toBe(2);
    expect(cursorAfter(2, 2.5)).toBe(2.5);
  });

  it('ignores a late verdict for a slightly earlier note', () => {
    expect(cursorAfter(5, 4.25)).toBe(5);
  });

  it('follows a real jump back (restart, loop)', () => {
    expect(cursorAfter(20, 8)).toBe(8);
    expect(cursorAfter(20, 16.5, 3)).toBe(16.5);
  });
});
