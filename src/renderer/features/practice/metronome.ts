/**
 * Metronome clicks with WebAudio: a short decaying sine per beat, higher on the accent.
 * The AudioContext is created on a user gesture (Start), as browsers require.
 */
export class Metronome {
  private context: AudioContext | null = null;

  /** Call from a click handler so the browser lets the context run. */
  prepare(): void {
    if (!this.context) this.context = new AudioContext({ latencyHint: 'interactive' });
    if (this.context.state === 'suspended') void this.context.resume();
  }

  click(accent: boolean): void {
    const ctx = this.context;
    if (!ctx) return;
    const now = ctx.currentTime;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = accent ? 1568 : 1047;
    gain.gain.setValueAtTime(accent ? 0.5 : 0.3, now);
    gain.gain.exponentialRampToValueAtTime(0.001, now + 0.05);
    osc.connect(gain).connect(ctx.destination);
    osc.start(now);
    osc.stop(now + 0.06);
  }

  dispose(): void {
    void this.context?.close();
    this.context = null;
  }
}
