import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { Posteriors } from '../../core/transcription/posteriors';
import { emptyPosteriors, KEY_COUNT } from '../../core/transcription/posteriors';
import { planChunks, runChunked } from './chunk-plan';

describe('planChunks', () => {
  it('tiles the clip with kept ranges and clips context at the ends', () => {
    const plan = planChunks(1050, 400, 100, 20);
    expect(plan).toEqual([
      { inputStart: 0, inputEnd: 420, keepStart: 0, keepEnd: 400 },
      { inputStart: 300, inputEnd: 820, keepStart: 400, keepEnd: 800 },
      { inputStart: 700, inputEnd: 1050, keepStart: 800, keepEnd: 1050 },
    ]);
  });
  it('gives one chunk for a short clip and none for an empty one', () => {
    expect(planChunks(50, 400, 100)).toEqual([{ inputStart: 0, inputEnd: 50, keepStart: 0, keepEnd: 50 }]);
    expect(planChunks(0, 400, 100)).toEqual([]);
  });
  it('rejects nonsense sizes', () => {
    expect(() => planChunks(100, 0, 10)).toThrow(AppError);
    expect(() => planChunks(100, 10, -1)).toThrow(/leftOverlap/);
    expect(() => planChunks(1.5, 10, 1)).toThrow(/totalFrames/);
  });
});

/**
 * A stand-in for the model with real context dependence: each output frame is the mean of the
 * input signal over the frames the chunk has seen so far (like a recurrent state), so a frame
 * computed with too little left context differs from the whole-clip answer.
 */
function runningMean(signal: Float32Array, start: number, end: number): Posteriors {
  const p = emptyPosteriors(end - start);
  let sum = 0;
  for (let t = start; t < end; t++) {
    sum += signal[t] as number;
    const i = t - start;
    const decay = Math.min(1, (i + 1) / 50); // "warm-up": reaches full weight after 50 frames
    p.pedal[i] = (sum / (i + 1)) * decay;
    p.onset.fill(t, i * KEY_COUNT, (i + 1) * KEY_COUNT);
  }
  return p;
}

describe('runChunked', () => {
  it('stitches kept frames in place; with enough left context they equal a warmed-up run', async () => {
    const signal = Float32Array.from({ length: 900 }, () => 1);
    const plan = planChunks(900, 200, 60);
    const progress: number[] = [];
    const result = await runChunked(900, plan, async (e) => runningMean(signal, e.inputStart, e.inputEnd), (d, n) => progress.push(d / n));
    // The onset head carries the absolute frame index: every frame landed where it belongs.
    for (let t = 0; t < 900; t += 37) expect(result.onset[t * KEY_COUNT + 5]).toBe(t);
    // Frames after the first 50 are fully warmed in every chunk thanks to 60 frames of context.
    for (let t = 50; t < 900; t++) expect(result.pedal[t]).toBeCloseTo(1, 6);
    expect(progress).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    // Without context the chunk starts are cold.
    const cold = await runChunked(900, planChunks(900, 200, 0), async (e) => runningMean(signal, e.inputStart, e.inputEnd));
    expect(cold.pedal[200]).toBeLessThan(0.1);
  });
  it('stops with CONFLICT once the signal is aborted', async () => {
    const controller = new AbortController();
    const plan = planChunks(600, 100, 10);
    let calls = 0;
    const run = runChunked(600, plan, async (e) => {
      if (++calls === 2) controller.abort();
      return emptyPosteriors(e.inputEnd - e.inputStart);
    }, undefined, controller.signal);
    await expect(run).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(calls).toBe(2);
  });
});
