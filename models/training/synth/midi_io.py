"""Read performance MIDI into note lists + sustain-pedal intervals, and write segments back out."""
from __future__ import annotations

import numpy as np

from common import PEDAL_THRESHOLD_CC


class Performance:
    """notes: [N, 4] float64 (onset s, offset s, pitch, velocity); pedal: [(start s, end s)]."""

    def __init__(self, notes: np.ndarray, pedal: list[tuple[float, float]]):
        order = np.argsort(notes[:, 0], kind="stable") if len(notes) else []
        self.notes = notes[order] if len(notes) else np.zeros((0, 4))
        self.pedal = sorted(pedal)

    @property
    def duration(self) -> float:
        ends = [0.0]
        if len(self.notes):
            ends.append(float(self.notes[:, 1].max()))
        if self.pedal:
            ends.append(self.pedal[-1][1])
        return max(ends)

    def segment(self, start: float, end: float) -> "Performance":
        """Notes starting in [start, end), shifted to 0; notes/pedal cut at end."""
        n = self.notes
        sel = n[(n[:, 0] >= start) & (n[:, 0] < end)].copy()
        sel[:, 0] -= start
        sel[:, 1] = np.minimum(sel[:, 1], end) - start
        ped = [(max(s, start) - start, min(e, end) - start) for s, e in self.pedal if e > start and s < end]
        return Performance(sel, [(s, e) for s, e in ped if e - s > 0.02])


def read_midi(path: str) -> Performance:
    import mido  # here, not at the top: the sampler and augmenters import this module on the GPU image, which has no mido

    mid = mido.MidiFile(path)
    t = 0.0
    active: dict[tuple[int, int], list[tuple[float, int]]] = {}
    notes: list[tuple[float, float, int, int]] = []
    pedal: list[tuple[float, float]] = []
    pedal_down: float | None = None
    for msg in mid:  # iterating a MidiFile yields messages with delta times in seconds
        t += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            active.setdefault((msg.channel, msg.note), []).append((t, msg.velocity))
        elif msg.type in ("note_off", "note_on"):
            stack = active.get((msg.channel, msg.note))
            if stack:
                on, vel = stack.pop(0)
                if t - on > 0.005:
                    notes.append((on, t, msg.note, vel))
        elif msg.type == "control_change" and msg.control == 64:
            down = msg.value >= PEDAL_THRESHOLD_CC
            if down and pedal_down is None:
                pedal_down = t
            elif not down and pedal_down is not None:
                pedal.append((pedal_down, t))
                pedal_down = None
    for (ch, p), stack in active.items():
        for on, vel in stack:
            notes.append((on, max(t, on + 0.1), p, vel))
    if pedal_down is not None:
        pedal.append((pedal_down, t))
    arr = np.array(notes, dtype=np.float64).reshape(-1, 4)
    return Performance(arr, pedal)


def write_midi(perf: Performance, path: str, program: int = 0, tail: float = 1.0) -> None:
    """Single-track MIDI at 120 bpm / 1000 ticks per beat (0.5 ms resolution)."""
    tpb = 1000
    sec_to_tick = tpb * 2.0  # 120 bpm: one beat = 0.5 s
    import mido

    events: list[tuple[int, int, "mido.Message"]] = []
    for on, off, pitch, vel in perf.notes:
        a = int(round(on * sec_to_tick))
        b = max(a + 1, int(round(off * sec_to_tick)))
        events.append((a, 1, mido.Message("note_on", note=int(pitch), velocity=int(vel), channel=0)))
        events.append((b, 0, mido.Message("note_off", note=int(pitch), velocity=0, channel=0)))
    for s, e in perf.pedal:
        events.append((int(round(s * sec_to_tick)), 2, mido.Message("control_change", control=64, value=127)))
        events.append((int(round(e * sec_to_tick)), 0, mido.Message("control_change", control=64, value=0)))
    # note-offs before note-ons at the same tick, so a re-strike is not swallowed
    events.sort(key=lambda x: (x[0], x[1]))
    mid = mido.MidiFile(ticks_per_beat=tpb)
    tr = mido.MidiTrack()
    mid.tracks.append(tr)
    tr.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))
    tr.append(mido.Message("program_change", program=program, channel=0, time=0))
    last = 0
    for tick, _, msg in events:
        tr.append(msg.copy(time=tick - last))
        last = tick
    end = int(round((perf.duration + tail) * sec_to_tick))
    tr.append(mido.MetaMessage("end_of_track", time=max(0, end - last)))
    mid.save(path)
