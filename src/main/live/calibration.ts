/**
 * "Check your piano": the judgements of the calibration steps, from measurements the runner
 * (calibration-run.ts) takes on the real input. Pure, so every threshold is tested here.
 */
import type { GainAdvice, RegisterCheck } from '../../shared/live';

/** Peaks below this leave the quiet notes near the noise: ask for more gain. */
export const QUIET_PEAK_DBFS = -30;
/** At or above this a peak is at full scale. */
export const CLIP_PEAK_DBFS = -0.1;
/** Loud playing should stand this far above the room noise. */
export const MIN_SNR_DB = 20;
/** Nothing struck rises this far above the floor: the input hears no piano. */
const NO_SOUND_DB = 6;

export const REGISTERS: ReadonlyArray<Pick<RegisterCheck, 'name' | 'fromPitch' | 'toPitch'>> = [
  { name: 'low', fromPitch: 21, toPitch: 47 },
  { name: 'middle', fromPitch: 48, toPitch: 71 },
  { name: 'high', fromPitch: 72, toPitch: 108 },
];

/** Nearest-rank percentile (0..100) of a copy; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function describeNoiseFloor(noiseFloorDbfs: number): string {
  const level = `${noiseFloorDbfs.toFixed(0)} dBFS`;
  if (noiseFloorDbfs <= -60) return `Quiet room: the noise floor is ${level}.`;
  if (noiseFloorDbfs <= -45) return `Some background noise (${level}): soft notes may be missed; close windows or move the microphone away from fans.`;
  return `Noisy input (${level}): the transcriber will hear the noise. Find a quieter spot, move the microphone closer to the piano, or lower other sound sources.`;
}

export interface PlayLevels {
  peakDbfs: number;
  loudRmsDbfs: number;
  noiseFloorDbfs: number | null;
  clippedWindows: number;
  onsetsHeard: number;
}

export function gainAdvice(m: PlayLevels): { advice: GainAdvice; message: string } {
  if (m.clippedWindows > 0 || m.peakDbfs >= CLIP_PEAK_DBFS) {
    return { advice: 'clipping', message: `The input clipped (${m.clippedWindows} clipped moment${m.clippedWindows === 1 ? '' : 's'}): turn the input gain down or move the microphone further from the strings.` };
  }
  const snr = m.noiseFloorDbfs === null ? null : m.loudRmsDbfs - m.noiseFloorDbfs;
  if (m.onsetsHeard === 0 && (snr === null || snr < NO_SOUND_DB)) {
    return { advice: 'no-sound', message: 'No piano was heard. Check that the right input is selected and the microphone is on, then play again.' };
  }
  if (m.peakDbfs < QUIET_PEAK_DBFS) {
    return { advice: 'too-quiet', message: `Too quiet (loudest peak ${m.peakDbfs.toFixed(0)} dBFS): raise the input gain or move the microphone closer.` };
  }
  if (snr !== null && snr < MIN_SNR_DB) {
    return { advice: 'noisy', message: `Your playing is only ${snr.toFixed(0)} dB above the room noise: move the microphone closer to the piano or reduce the noise.` };
  }
  return { advice: 'fine', message: `Input level is fine (loudest peak ${m.peakDbfs.toFixed(0)} dBFS, no clipping).` };
}

/** Which registers the model found notes in (distinct pitches, ascending). */
export function registerChecks(notePitches: readonly number[]): RegisterCheck[] {
  return REGISTERS.map((r) => {
    const detectedPitches = [...new Set(notePitches.filter((p) => p >= r.fromPitch && p <= r.toPitch))].sort((a, b) => a - b);
    return { ...r, detectedPitches, detected: detectedPitches.length > 0 };
  });
}

export interface LatencyMeasurement {
  matched: number;
  offsetMs: number | null;
  spreadMs: number | null;
  /** Per click: heard onset - click, or null when nothing answered it. */
  differencesMs: Array<number | null>;
}

/**
 * Pairs each click with the first struck note heard from `earlyMs` before it to `lateMs` after it
 * (a note used once), and takes the median difference: robust to a missed or doubled note.
 */
export function measureLatencyOffset(clickTimesMs: readonly number[], onsetTimesMs: readonly number[], earlyMs = 150, lateMs = 450): LatencyMeasurement {
  const onsets = [...onsetTimesMs].sort((a, b) => a - b);
  const used = new Set<number>();
  const differencesMs = clickTimesMs.map((click) => {
    const index = onsets.findIndex((t, i) => !used.has(i) && t >= click - earlyMs && t <= click + lateMs);
    if (index < 0) return null;
    used.add(index);
    return (onsets[index] as number) - click;
  });
  const found = differencesMs.filter((d): d is number => d !== null);
  if (found.length === 0) return { matched: 0, offsetMs: null, spreadMs: null, differencesMs };
  return {
    matched: found.length,
    offsetMs: percentile(found, 50),
    spreadMs: percentile(found, 75) - percentile(found, 25),
    differencesMs,
  };
}

export function describeLatency(m: LatencyMeasurement, clicks: number): string {
  if (m.offsetMs === null) return 'No struck note was heard near the clicks. Play one key on each click and try again.';
  if (m.matched < Math.ceil(clicks / 2)) return `Only ${m.matched} of ${clicks} clicks were answered: the figure is unreliable, try again.`;
  return `Your notes arrive ${m.offsetMs.toFixed(0)} ms after the clicks (spread ${m.spreadMs?.toFixed(0)} ms over ${m.matched} of ${clicks} clicks). Save it as your latency offset to grade timing against what you hear.`;
}
