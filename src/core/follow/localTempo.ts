/**
 * The follower's local tempo: a line through an anchor (written second -> performance second)
 * with a slope (performance seconds per written second) that adapts to each matched onset.
 * Bounded to a third..three times the nominal slope so a stray match cannot derail it.
 */
export class LocalTempo {
  rate: number;
  anchorTime = 0;
  anchorWritten = 0;

  constructor(readonly nominalRate: number) {
    this.rate = nominalRate;
  }

  /** Performance time expected for a written time. */
  expected(writtenSec: number): number {
    return this.anchorTime + (writtenSec - this.anchorWritten) * this.rate;
  }

  /** Written time for a performance time. */
  written(timeSec: number): number {
    return this.anchorWritten + (timeSec - this.anchorTime) / this.rate;
  }

  setAnchor(writtenSec: number, timeSec: number): void {
    this.anchorWritten = writtenSec;
    this.anchorTime = timeSec;
  }

  /** Takes a tempo measured elsewhere (a relocation's notes), within the usual bounds. */
  setRate(rate: number): void {
    if (Number.isFinite(rate) && rate > 0) this.rate = Math.min(this.nominalRate * 3, Math.max(this.nominalRate / 3, rate));
  }

  /**
   * A slot at `writtenSec` was first heard at `timeSec`. Blends the observed slope into the rate
   * and moves the anchor most of the way to the observation (damping single-note jitter).
   */
  observe(writtenSec: number, timeSec: number): void {
    const gap = writtenSec - this.anchorWritten;
    let base = timeSec;
    if (gap > 0.05) {
      const observed = (timeSec - this.anchorTime) / gap;
      const blended = this.rate + 0.3 * (observed - this.rate);
      this.rate = Math.min(this.nominalRate * 3, Math.max(this.nominalRate / 3, blended));
      base = this.anchorTime + gap * this.rate;
    }
    this.setAnchor(writtenSec, base + 0.7 * (timeSec - base));
  }
}
