/**
 * A Performance (notes + sustain pedal) as a Standard MIDI File: one piano track, notes at their
 * times in seconds, CC64 for the pedal. Tempo is nominal (120 bpm); times are exact in seconds.
 */
// Default import: the package is CommonJS, and Node's ESM loader cannot see its named exports.
import tonejsMidi from '@tonejs/midi';
import type { Performance } from '../../shared/performance';

const { Midi } = tonejsMidi;

export function performanceToMidi(performance: Performance, name = 'Transcription'): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(120);
  midi.header.name = name;
  const track = midi.addTrack();
  track.name = 'Piano';
  track.channel = 0;
  track.instrument.number = 0; // Acoustic Grand Piano
  for (const note of performance.notes) {
    track.addNote({
      midi: note.pitch,
      time: note.onsetSec,
      duration: Math.max(0, note.offsetSec - note.onsetSec),
      velocity: Math.min(127, Math.max(1, note.velocity)) / 127,
    });
  }
  for (const event of performance.pedal) {
    track.addCC({ number: 64, value: Math.min(127, Math.max(0, event.value)) / 127, time: event.timeSec });
  }
  return midi.toArray();
}
