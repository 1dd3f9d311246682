/**
 * Long audio in chunks with overlap ("overlap-discard"): each chunk is run with extra frames of
 * context on both sides, and only its middle is kept, so every kept frame has seen at least
 * `overlapFrames` of context (the model's state warms up on the left part; a model with
 * look-ahead gets it on the right). Kept ranges tile the clip exactly, so stitching is a copy.
 */
import { AppError } from '../../shared/errors';
import type { Posteriors } from '../../core/transcription/posteriors';
import { emptyPosteriors, KEY_COUNT } from '../../core/transcription/posteriors';

export interface ChunkPlanEntry {
  /** Frames fed to the model: [inputStart, inputEnd). */
  inputStart: number;
  inputEnd: number;
  /** Frames kept from this chunk's output: [keepStart, keepEnd), within the input range. */
  keepStart: number;
  keepEnd: number;
}

/**
 * Plans chunks of `chunkFrames` kept frames each (the last may be shorter), with up to
 * `leftOverlap` frames of context before and `rightOverlap` after (clipped at the clip's ends).
 */
export function planChunks(totalFrames: number, chunkFrames: number, leftOverlap: number, rightOverlap = 0): ChunkPlanEntry[] {
  for (const [name, value] of Object.entries({ totalFrames, chunkFrames, leftOverlap, rightOverlap })) {
    if (!Number.isInteger(value) || value < 0) throw new AppError('INVALID_ARGUMENT', `${name} must be a non-negative integer, got ${value}`);
  }
  if (chunkFrames === 0) throw new AppError('INVALID_ARGUMENT', 'chunkFrames must be positive');
  const plan: ChunkPlanEntry[] = [];
  for (let keepStart = 0; keepStart < totalFrames; keepStart += chunkFrames) {
    const keepEnd = Math.min(totalFrames, keepStart + chunkFrames);
    plan.push({
      inputStart: Math.max(0, keepStart - leftOverlap),
      inputEnd: Math.min(totalFrames, keepEnd + rightOverlap),
      keepStart,
      keepEnd,
    });
  }
  return plan;
}

/** Copies a chunk's kept frames (its output covers frames [inputStart, inputStart + its frameCount)) into the clip's posteriors. */
export function stitchChunk(target: Posteriors, chunk: Posteriors, entry: ChunkPlanEntry): void {
  const offset = entry.keepStart - entry.inputStart;
  const count = entry.keepEnd - entry.keepStart;
  if (offset + count > chunk.frameCount) {
    throw new AppError('INTERNAL', `chunk output has ${chunk.frameCount} frames, needs ${offset + count}`);
  }
  for (const head of ['onset', 'frame', 'offset', 'velocity'] as const) {
    target[head].set(chunk[head].subarray(offset * KEY_COUNT, (offset + count) * KEY_COUNT), entry.keepStart * KEY_COUNT);
  }
  target.pedal.set(chunk.pedal.subarray(offset, offset + count), entry.keepStart);
}

/** Runs a plan through `runChunk` (frames in → posteriors out) and stitches the results. */
export async function runChunked(
  totalFrames: number,
  plan: readonly ChunkPlanEntry[],
  runChunk: (entry: ChunkPlanEntry) => Promise<Posteriors>,
  onChunkDone?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Posteriors> {
  const result = emptyPosteriors(totalFrames);
  for (let i = 0; i < plan.length; i++) {
    if (signal?.aborted) throw new AppError('CONFLICT', 'transcription was cancelled');
    const entry = plan[i] as ChunkPlanEntry;
    stitchChunk(result, await runChunk(entry), entry);
    onChunkDone?.(i + 1, plan.length);
  }
  return result;
}
