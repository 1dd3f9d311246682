"""Procedural pianistic material: scales, arpeggios, chords, clusters, repeats, trills, two-hand
textures and isolated notes, with wide dynamics, varied tempo and sustain-pedal use."""
from __future__ import annotations

import numpy as np

from synth.midi_io import Performance

MAJOR = [0, 2, 4, 5, 7, 9, 11]
MINOR = [0, 2, 3, 5, 7, 8, 10]
HARM = [0, 2, 3, 5, 7, 8, 11]
TRIADS = [[0, 4, 7], [0, 3, 7], [0, 3, 6], [0, 4, 8], [0, 4, 7, 10], [0, 3, 7, 10], [0, 4, 7, 11], [0, 5, 7]]
LO, HI = 21, 108


class _Builder:
    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.notes: list[tuple[float, float, int, int]] = []
        self.pedal: list[tuple[float, float]] = []

    def vel(self, base: float) -> int:
        return int(np.clip(round(base + self.rng.normal(0, 6)), 1, 127))

    def add(self, on: float, dur: float, pitch: int, vel: int) -> None:
        if LO <= pitch <= HI and dur > 0.01:
            self.notes.append((on, on + dur, pitch, vel))


def _scale_pitches(rng, root: int, mode) -> list[int]:
    return [root + 12 * o + s for o in range(0, 10) for s in mode if LO <= root + 12 * o + s <= HI]


def _phrase(b: _Builder, t: float, beat: float, level: float) -> float:
    """Appends one phrase starting at t; returns its end time."""
    rng = b.rng
    kind = rng.choice(["scale", "arpeggio", "block", "broken", "cluster", "repeat", "trill", "twohand",
                       "single", "octaves"], p=[.12, .12, .12, .12, .06, .07, .07, .16, .10, .06])
    root = int(rng.integers(0, 12))
    mode = [MAJOR, MINOR, HARM][int(rng.integers(0, 3))]
    pitches = _scale_pitches(rng, root, mode)
    legato = rng.uniform(0.3, 1.1)
    n = int(rng.integers(4, 17))
    if kind == "scale":
        i = int(rng.integers(0, len(pitches) - 1))
        step = int(rng.choice([1, -1]))
        sub = beat / rng.choice([2, 3, 4])
        for j in range(n * 2):
            i = int(np.clip(i + step, 0, len(pitches) - 1))
            b.add(t, sub * legato, pitches[i], b.vel(level + 2 * j * rng.choice([-1, 1])))
            t += sub
    elif kind in ("arpeggio", "broken"):
        chord = TRIADS[int(rng.integers(0, len(TRIADS)))]
        base = int(rng.integers(28, 84))
        tones = [base + c + 12 * o for o in range(3) for c in chord]
        sub = beat / rng.choice([2, 3, 4])
        if kind == "broken":  # Alberti-like pattern
            pat = [0, 2, 1, 2] if rng.random() < .5 else [0, 1, 2, 1]
            tones = [tones[p] for p in pat] * 3
        for j in range(n * 2):
            p = tones[j % len(tones)]
            b.add(t, sub * legato * (2 if kind == "broken" else 1), p, b.vel(level))
            t += sub
    elif kind == "block":
        for _ in range(n // 2 + 2):
            chord = TRIADS[int(rng.integers(0, len(TRIADS)))]
            base = int(rng.integers(36, 76))
            voices = [base + c for c in chord]
            if rng.random() < .5:
                voices.append(base - 12 * int(rng.integers(1, 3)))
            if rng.random() < .4:
                voices.append(base + 12 + chord[int(rng.integers(0, len(chord)))])
            spread = rng.uniform(0, 0.03)  # slight asynchrony as in human chords
            dur = beat * rng.choice([0.5, 1, 2]) * legato
            for k, p in enumerate(voices):
                b.add(t + spread * rng.random(), dur, p, b.vel(level))
            t += max(dur, beat * 0.5) / max(legato, 0.5)
    elif kind == "cluster":
        for _ in range(int(rng.integers(2, 6))):
            lo = int(rng.integers(30, 95))
            width = int(rng.integers(3, 9))
            dur = beat * rng.uniform(0.3, 2)
            for p in range(lo, lo + width):
                if rng.random() < .8:
                    b.add(t, dur, p, b.vel(level))
            t += dur + beat * rng.uniform(0, 0.5)
    elif kind == "repeat":
        p = int(rng.integers(30, 100))
        sub = beat / rng.choice([2, 3, 4])
        for j in range(n):
            b.add(t, sub * rng.uniform(0.3, 0.9), p, b.vel(level))
            t += sub
    elif kind == "trill":
        p = int(rng.integers(36, 100))
        q = p + int(rng.choice([1, 2]))
        sub = rng.uniform(0.06, 0.13)
        for j in range(n * 2):
            b.add(t, sub * 0.9, p if j % 2 == 0 else q, b.vel(level))
            t += sub
    elif kind == "twohand":
        # melody in the right hand over a left-hand accompaniment in a lower register
        mel = [p for p in pitches if 60 <= p <= 96]
        acc_chord = TRIADS[int(rng.integers(0, 4))]
        acc_base = int(rng.integers(31, 55))
        i = int(rng.integers(0, len(mel)))
        sub = beat / 2
        for j in range(n * 2):
            if j % int(rng.choice([1, 2])) == 0:
                i = int(np.clip(i + rng.integers(-3, 4), 0, len(mel) - 1))
                b.add(t, sub * rng.choice([1, 2]) * legato, mel[i], b.vel(level + 8))
            b.add(t, sub * legato, acc_base + acc_chord[j % len(acc_chord)], b.vel(level - 10))
            t += sub
    elif kind == "single":
        # isolated notes anywhere on the keyboard, well separated
        for _ in range(int(rng.integers(3, 8))):
            dur = rng.uniform(0.1, 1.5)
            b.add(t, dur, int(rng.integers(LO, HI + 1)), int(rng.integers(10, 128)))
            t += dur + rng.uniform(0.1, 0.8)
    else:  # octaves
        sub = beat / rng.choice([1, 2])
        i = int(rng.integers(0, len(pitches)))
        for _ in range(n):
            i = int(np.clip(i + rng.integers(-2, 3), 0, len(pitches) - 1))
            p = pitches[i]
            v = b.vel(level)
            b.add(t, sub * legato, p, v)
            b.add(t, sub * legato, p - 12, b.vel(level))
            t += sub
    return t


def generate(rng: np.random.Generator, duration: float) -> Performance:
    b = _Builder(rng)
    t = rng.uniform(0, 0.5)
    while t < duration:
        beat = 60.0 / rng.uniform(50, 180)
        level = rng.uniform(20, 115)
        start = t
        t = _phrase(b, t, beat, level)
        if rng.random() < 0.4:  # pedal over (part of) the phrase
            ps = start + rng.uniform(0, 0.3)
            pe = max(ps + 0.2, t - rng.uniform(0, 0.3))
            b.pedal.append((ps, pe))
        t += rng.uniform(0.0, 0.6)
    notes = np.array(b.notes, dtype=np.float64).reshape(-1, 4)
    perf = Performance(notes, b.pedal)
    return perf.segment(0.0, duration)
