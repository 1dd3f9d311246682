/**
 * Verdicts can arrive slightly out of order (a chord is judged once complete), so the cursor only
 * moves forward, unless the player jumped back by more than a bar's worth (a restart or a loop).
 */
export function cursorAfter(current: number | null, judgedOnset: number, jumpBackBeats = 4): number {
  if (current === null || judgedOnset >= current || judgedOnset < current - jumpBackBeats) return judgedOnset;
  return current;
}
