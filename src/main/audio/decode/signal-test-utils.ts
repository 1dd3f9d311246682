/** Measurements of a test sine: frequency from interpolated zero crossings, amplitude from RMS. */
export function measureSine(samples: Float32Array, sampleRate: number, fromSec: number, toSec: number): { frequencyHz: number; amplitude: number } {
  const start = Math.floor(fromSec * sampleRate);
  const end = Math.min(samples.length, Math.floor(toSec * sampleRate));
  const crossings: number[] = [];
  let sumSquares = 0;
  for (let i = start; i < end; i++) {
    const a = samples[i - 1] ?? 0;
    const b = samples[i] as number;
    sumSquares += b * b;
    if (a < 0 && b >= 0) crossings.push(i - 1 + a / (a - b));
  }
  const first = crossings[0] ?? 0;
  const last = crossings[crossings.length - 1] ?? 0;
  const frequencyHz = ((crossings.length - 1) * sampleRate) / (last - first);
  return { frequencyHz, amplitude: Math.sqrt((2 * sumSquares) / (end - start)) };
}

export function sine(frequencyHz: number, sampleRate: number, seconds: number, amplitude: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate);
  return out;
}

/** Rate pairs the resampler tests cover: common downsampling to the model rate, and upsampling. */
export const TEST_RATE_PAIRS = [
  [44100, 16000],
  [48000, 16000],
  [22050, 16000],
  [8000, 16000],
  [16000, 44100],
] as const;
