/**
 * Incremental MIDI 1.0 byte-stream parser: running status, note-on with velocity 0 as note-off,
 * system-exclusive and system-common messages skipped, real-time bytes (clock, active sensing)
 * ignored wherever they appear, even inside another message. Bad bytes are dropped, never thrown:
 * this sits on the live path and a noisy cable must not stop a take.
 */

export type MidiMessage =
  | { type: 'noteOn'; channel: number; pitch: number; velocity: number }
  | { type: 'noteOff'; channel: number; pitch: number; velocity: number }
  | { type: 'controlChange'; channel: number; controller: number; value: number };

export const SUSTAIN_PEDAL_CC = 64;

/** Data bytes that follow a channel status (indexed by the high nibble). */
function channelDataLength(status: number): number {
  const kind = status & 0xf0;
  return kind === 0xc0 || kind === 0xd0 ? 1 : 2;
}

/** Data bytes of system-common messages (0xF1..0xF6); undefined for sysex. */
const SYSTEM_COMMON_LENGTH: Record<number, number> = { 0xf1: 1, 0xf2: 2, 0xf3: 1, 0xf4: 0, 0xf5: 0, 0xf6: 0 };

export class MidiByteParser {
  /** Current channel status (kept for running status), 0 when none. */
  private status = 0;
  /** Status of the system-common message being skipped, 0 when none. */
  private skippingCommon = 0;
  private inSysex = false;
  private readonly data: number[] = [];
  private expected = 0;

  /** Feeds bytes; returns the complete channel messages they finish, in order. */
  feed(bytes: ArrayLike<number>): MidiMessage[] {
    const out: MidiMessage[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const message = this.byte((bytes[i] ?? 0) & 0xff);
      if (message) out.push(message);
    }
    return out;
  }

  /** Forgets any partial message (e.g. after a device reconnects). */
  reset(): void {
    this.status = 0;
    this.skippingCommon = 0;
    this.inSysex = false;
    this.data.length = 0;
    this.expected = 0;
  }

  private byte(b: number): MidiMessage | null {
    if (b >= 0xf8) return null; // real-time: no effect on running status or the message in progress
    if (b >= 0x80) return this.statusByte(b);
    if (this.inSysex) return null;
    if (this.skippingCommon) {
      this.data.push(b);
      if (this.data.length >= this.expected) {
        this.skippingCommon = 0;
        this.data.length = 0;
      }
      return null;
    }
    if (!this.status) return null; // data with no status to run on: stray byte
    this.data.push(b);
    if (this.data.length < this.expected) return null;
    const message = this.decode(this.status, this.data);
    this.data.length = 0; // keep status: running status
    return message;
  }

  private statusByte(b: number): null {
    this.data.length = 0;
    if (b < 0xf0) {
      this.status = b;
      this.inSysex = false;
      this.skippingCommon = 0;
      this.expected = channelDataLength(b);
      return null;
    }
    // System exclusive and system common cancel running status.
    this.status = 0;
    this.skippingCommon = 0;
    this.inSysex = b === 0xf0;
    if (b === 0xf7) return null;
    const length = SYSTEM_COMMON_LENGTH[b];
    if (length !== undefined && length > 0) {
      this.skippingCommon = b;
      this.expected = length;
    }
    return null;
  }

  private decode(status: number, data: number[]): MidiMessage | null {
    const channel = status & 0x0f;
    const d1 = data[0] ?? 0;
    const d2 = data[1] ?? 0;
    switch (status & 0xf0) {
      case 0x90:
        return d2 === 0
          ? { type: 'noteOff', channel, pitch: d1, velocity: 0 }
          : { type: 'noteOn', channel, pitch: d1, velocity: d2 };
      case 0x80:
        return { type: 'noteOff', channel, pitch: d1, velocity: d2 };
      case 0xb0:
        return { type: 'controlChange', channel, controller: d1, value: d2 };
      default:
        return null; // aftertouch, program change, pitch bend: not used for practice
    }
  }
}

/** Encodes a note event as 3 MIDI bytes on channel 0 (used by the replay source and tests). */
export function encodeNote(kind: 'on' | 'off', pitch: number, velocity: number): Uint8Array {
  return kind === 'on'
    ? Uint8Array.of(0x90, pitch & 0x7f, Math.max(1, velocity & 0x7f))
    : Uint8Array.of(0x80, pitch & 0x7f, velocity & 0x7f);
}

export function encodeControlChange(controller: number, value: number): Uint8Array {
  return Uint8Array.of(0xb0, controller & 0x7f, value & 0x7f);
}
