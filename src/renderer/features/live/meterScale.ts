/** Where a dBFS level sits on the meter (0..1) and how it is written. Pure, tested. */

/** Quietest level the meter shows; below it the bar is empty. */
export const METER_FLOOR_DBFS = -60;

export function meterFraction(dbfs: number | null): number {
  if (dbfs === null || !Number.isFinite(dbfs)) return 0;
  return Math.min(1, Math.max(0, (dbfs - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS));
}

export function formatDbfs(dbfs: number | null): string {
  if (dbfs === null || !Number.isFinite(dbfs)) return '–';
  if (dbfs <= -119) return 'silence';
  return `${Math.round(dbfs)} dBFS`;
}

/** Bar colour band: green while healthy, amber near full scale, red when clipping. */
export function meterBand(peakDbfs: number, clipWarning: boolean): 'ok' | 'hot' | 'clip' {
  if (clipWarning) return 'clip';
  return peakDbfs > -6 ? 'hot' : 'ok';
}
