import type { SlottedScore } from './scoreSlots';

/**
 * Detects that the player has jumped (restarted from an earlier bar, skipped ahead) by keeping
 * a bounded set of hypotheses "the player is now at slot k", fed only with notes the follower
 * could not explain at its current position. A hypothesis that explains several consecutive
 * notes in score order, with plausible timing, wins and the follower relocates there.
 */
export interface Hypothesis {
  /** Slot of the most recent note this hypothesis explained. */
  lastSlot: number;
  firstSlot: number;
  lastTime: number;
  count: number;
  distinctSlots: number;
  misses: number;
  /** Score note indices and event indices explained so far (parallel arrays). */
  notes: number[];
  events: number[];
}

/**
 * Notes needed before relocating. Classical textures repeat short figures (scales, Alberti
 * basses), so four notes in order happen by chance; six at a consistent tempo rarely do.
 */
const CONFIRM_NOTES = 6;
/**
 * A skipped bar or a restart one bar back: four notes in order settle it. Until the follower
 * relocates, the next bar's notes count as wrong for the skipped one (Vienna live detection F1
 * 0.594 -> 0.663 with 4 instead of 6 notes within 8 beats; Batik live correct -1 point).
 */
const NEAR_JUMP_BEATS = 8;
const NEAR_CONFIRM_NOTES = 4;
/**
 * Far jumps need more evidence: sonatas bring whole themes back (exposition repeat,
 * recapitulation), so six notes matched the same music 100 bars away as often as the place the
 * player was at (Batik K. 279: the follower jumped from bar 13 to bar 123 after two stray notes).
 * Two more notes each time the distance doubles beyond 4 bars of 4/4.
 */
function notesToConfirm(distanceBeats: number): number {
  if (distanceBeats < NEAR_JUMP_BEATS) return NEAR_CONFIRM_NOTES;
  return CONFIRM_NOTES + 2 * Math.floor(Math.log2(1 + distanceBeats / 16));
}
/**
 * Tempo a hypothesis may imply relative to the follower's current estimate. At 2x a slow
 * movement's faster middle section left the follower lost for a minute (nASAP live 89.6 -> 91.2 %
 * on 10 pieces at 3x).
 */
const MAX_TEMPO_CHANGE = 3;
const MAX_HYPOTHESES = 256;
/** How far (in slots) a hypothesis may step between consecutive notes (skipped or missed notes). */
const MAX_STEP_SLOTS = 3;
const CHORD_SPREAD_SEC = 0.15;
const STALE_SEC = 3;

export class RelocationTracker {
  private hypotheses: Hypothesis[] = [];
  private currentRate: number;

  constructor(
    private readonly slotted: SlottedScore,
    /** Performance seconds per written second at the nominal tempo. */
    private readonly nominalRate: number,
  ) {
    this.currentRate = nominalRate;
  }

  private plausibleRate(rate: number, reference: number): boolean {
    return rate >= reference / MAX_TEMPO_CHANGE && rate <= reference * MAX_TEMPO_CHANGE;
  }

  reset(): void {
    this.hypotheses.length = 0;
  }

  /**
   * Feeds one unexplained note; returns a confirmed hypothesis or null. Among equally supported
   * hypotheses the one nearest `nearSlot` (the follower's position) wins: a recurring theme
   * must not pull the follower back to its first appearance.
   */
  update(pitch: number, time: number, eventIndex: number, nearSlot: number, currentRate: number): Hypothesis | null {
    this.currentRate = currentRate;
    const { slots } = this.slotted;
    const kept: Hypothesis[] = [];
    for (const h of this.hypotheses) {
      if (time - h.lastTime > STALE_SEC) continue;
      const found = this.extend(h, pitch, time);
      if (found >= 0) {
        if (slots[found]!.index !== h.lastSlot) h.distinctSlots++;
        h.lastSlot = found;
        h.lastTime = time;
        h.count++;
        h.notes.push(this.noteIn(found, pitch, h));
        h.events.push(eventIndex);
        kept.push(h);
      } else if (++h.misses <= 1) {
        kept.push(h);
      }
    }
    const occupied = new Set(kept.map((h) => h.lastSlot));
    for (const k of this.slotted.slotsByPitch[pitch & 127] ?? []) {
      if (kept.length >= MAX_HYPOTHESES) break;
      if (occupied.has(k)) continue;
      kept.push({
        lastSlot: k,
        firstSlot: k,
        lastTime: time,
        count: 1,
        distinctSlots: 1,
        misses: 0,
        notes: [this.noteIn(k, pitch, null)],
        events: [eventIndex],
      });
    }
    this.hypotheses = kept;
    let best: Hypothesis | null = null;
    const nearBeats = slots[Math.max(0, Math.min(slots.length - 1, nearSlot))]?.beats ?? 0;
    for (const h of kept) {
      if (h.count < notesToConfirm(Math.abs(slots[h.firstSlot]!.beats - nearBeats)) || h.distinctSlots < 2) continue;
      if (!best || h.count > best.count || (h.count === best.count && Math.abs(h.firstSlot - nearSlot) < Math.abs(best.firstSlot - nearSlot))) best = h;
    }
    return best;
  }

  /** The slot where `pitch` continues hypothesis h, or -1. */
  private extend(h: Hypothesis, pitch: number, time: number): number {
    const { slots } = this.slotted;
    const dt = time - h.lastTime;
    const last = slots[h.lastSlot]!;
    for (let k = h.lastSlot; k < slots.length && k <= h.lastSlot + MAX_STEP_SLOTS; k++) {
      const slot = slots[k]!;
      if (k === h.lastSlot) {
        if (dt > CHORD_SPREAD_SEC) continue;
      } else {
        const writtenGap = slot.sec - last.sec;
        if (writtenGap <= 0) continue;
        const rate = dt / writtenGap;
        // NaN current rate (wait mode): the player takes their time, so timing says nothing.
        // The practice tempo counts too: after a ritardando or a fermata the player comes back
        // a tempo, which the slowed local estimate can put beyond 3x (Kreisleriana 4: lost for
        // a minute after the slow bars before the faster middle section).
        if (!Number.isNaN(this.currentRate) && !this.plausibleRate(rate, this.currentRate) && !this.plausibleRate(rate, this.nominalRate)) continue;
      }
      if (this.noteIn(k, pitch, h) >= 0) return k;
    }
    return -1;
  }

  /** Index of an unclaimed score note of `pitch` in slot k, or -1. */
  private noteIn(k: number, pitch: number, h: Hypothesis | null): number {
    const { slots, score } = this.slotted;
    for (const i of slots[k]!.noteIndices) {
      if (score.notes[i]!.pitch === pitch && (!h || !h.notes.includes(i))) return i;
    }
    return -1;
  }
}
