/**
 * Model posteriors for a clip, as the decoders read them. Key-major heads are stored row by row
 * (frame t, key k at index t * KEY_COUNT + k) in Float32Arrays, exactly the memory layout of the
 * ONNX outputs [1, T, 88], so inference hands them over without copying.
 */
import { AppError } from '../../shared/errors';
import { PIANO_KEY_COUNT, PIANO_LOWEST_PITCH } from '../../shared/units';
import type { MidiPitch } from '../../shared/units';

export const KEY_COUNT = PIANO_KEY_COUNT;

export interface Posteriors {
  frameCount: number;
  /** [T * 88] P(onset). */
  onset: Float32Array;
  /** [T * 88] P(key held). */
  frame: Float32Array;
  /** [T * 88] P(release). */
  offset: Float32Array;
  /** [T * 88] velocity / 127 at onsets. */
  velocity: Float32Array;
  /** [T] P(sustain pedal down). */
  pedal: Float32Array;
}

/** One frame of posteriors (88 values per key head, one pedal value), for the streaming decoder. */
export interface PosteriorFrame {
  onset: ArrayLike<number>;
  frame: ArrayLike<number>;
  offset: ArrayLike<number>;
  velocity: ArrayLike<number>;
  pedal: number;
}

export function keyToPitch(key: number): MidiPitch {
  return PIANO_LOWEST_PITCH + key;
}

export function emptyPosteriors(frameCount: number): Posteriors {
  const size = frameCount * KEY_COUNT;
  return {
    frameCount,
    onset: new Float32Array(size),
    frame: new Float32Array(size),
    offset: new Float32Array(size),
    velocity: new Float32Array(size),
    pedal: new Float32Array(frameCount),
  };
}

/** Checks that every head has the length its frame count implies. */
export function validatePosteriors(p: Posteriors): void {
  const size = p.frameCount * KEY_COUNT;
  for (const head of ['onset', 'frame', 'offset', 'velocity'] as const) {
    if (p[head].length !== size) {
      throw new AppError('INVALID_ARGUMENT', `posteriors.${head} has ${p[head].length} values, expected ${p.frameCount} x ${KEY_COUNT}`);
    }
  }
  if (p.pedal.length !== p.frameCount) {
    throw new AppError('INVALID_ARGUMENT', `posteriors.pedal has ${p.pedal.length} values, expected ${p.frameCount}`);
  }
}

/** The frame t of clip posteriors as a PosteriorFrame (views, no copies). */
export function posteriorFrameAt(p: Posteriors, t: number): PosteriorFrame {
  const start = t * KEY_COUNT;
  const end = start + KEY_COUNT;
  return {
    onset: p.onset.subarray(start, end),
    frame: p.frame.subarray(start, end),
    offset: p.offset.subarray(start, end),
    velocity: p.velocity.subarray(start, end),
    pedal: p.pedal[t] ?? 0,
  };
}

/** Joins consecutive stretches of posteriors into one clip. */
export function concatPosteriors(parts: readonly Posteriors[]): Posteriors {
  const total = parts.reduce((sum, p) => sum + p.frameCount, 0);
  const out = emptyPosteriors(total);
  let frame = 0;
  for (const p of parts) {
    for (const head of ['onset', 'frame', 'offset', 'velocity'] as const) out[head].set(p[head], frame * KEY_COUNT);
    out.pedal.set(p.pedal, frame);
    frame += p.frameCount;
  }
  return out;
}
