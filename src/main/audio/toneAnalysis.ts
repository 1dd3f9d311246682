import type { Hz } from '../../shared';

/**
 * The strongest frequency in a stretch of audio: Hann-windowed FFT over the largest power-of-two
 * span that fits, then parabolic interpolation of the log magnitude around the peak bin (accurate
 * to a small fraction of a bin for a steady tone). For input checks ("play A4") and tests of the
 * capture path, not for pitch tracking of polyphonic music.
 * @returns null when the input is too short (< 256 samples) or silent.
 */
export function dominantFrequency(samples: Float32Array, sampleRate: Hz, minHz: Hz = 20): Hz | null {
  if (samples.length < 256) return null;
  const n = 2 ** Math.floor(Math.log2(Math.min(samples.length, 1 << 16)));
  const offset = Math.floor((samples.length - n) / 2);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    re[i] = (samples[offset + i] as number) * w;
  }
  fftInPlace(re, im);
  const minBin = Math.max(1, Math.ceil((minHz * n) / sampleRate));
  let peakBin = -1;
  let peakPower = 0;
  for (let k = minBin; k < n / 2 - 1; k++) {
    const power = (re[k] as number) ** 2 + (im[k] as number) ** 2;
    if (power > peakPower) {
      peakPower = power;
      peakBin = k;
    }
  }
  if (peakBin < 0 || peakPower === 0) return null;
  const logPower = (k: number) => Math.log((re[k] as number) ** 2 + (im[k] as number) ** 2 + 1e-30);
  const a = logPower(peakBin - 1);
  const b = logPower(peakBin);
  const c = logPower(peakBin + 1);
  const denominator = a - 2 * b + c;
  const shift = denominator === 0 ? 0 : (0.5 * (a - c)) / denominator;
  return ((peakBin + shift) * sampleRate) / n;
}

/** Iterative radix-2 Cooley-Tukey; length must be a power of two. */
function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const step = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const cos = Math.cos(step * k);
        const sin = Math.sin(step * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = (re[b] as number) * cos - (im[b] as number) * sin;
        const ti = (re[b] as number) * sin + (im[b] as number) * cos;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
      }
    }
  }
}
