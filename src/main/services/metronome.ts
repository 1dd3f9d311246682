import { performance } from 'node:perf_hooks';
import type { Score } from '../../shared/score';

/**
 * Beat clock for the practice metronome at the score's opening tempo times the tempo factor.
 * The UI makes the sound; main keeps the clock so every client ticks together. Each tick is
 * scheduled from the start time, not the previous tick, so the beat does not drift.
 */
export class Metronome {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly beatMs: number,
    private readonly beatsPerBar: number,
    private readonly onTick: (beat: number, accent: boolean) => void,
  ) {}

  static forScore(score: Score, tempoFactor: number, onTick: (beat: number, accent: boolean) => void): Metronome {
    const qpm = score.tempos[0]?.qpm ?? 120;
    const signature = score.measures[0]?.timeSignature ?? { numerator: 4, denominator: 4 };
    // One click per written beat: a quarter in x/4, an eighth in x/8 (compound metres click eighths too).
    const beatQuarters = 4 / signature.denominator;
    const beatMs = (60_000 / (qpm * tempoFactor)) * beatQuarters;
    return new Metronome(beatMs, Math.max(1, signature.numerator), onTick);
  }

  start(): void {
    const t0 = performance.now();
    let beat = 0;
    const tick = (): void => {
      this.onTick(beat, beat % this.beatsPerBar === 0);
      beat++;
      this.timer = setTimeout(tick, Math.max(0, t0 + beat * this.beatMs - performance.now()));
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
