"""MIDI-level augmentation: transpose, tempo scaling and velocity curves."""
from __future__ import annotations

import numpy as np

from synth.midi_io import Performance


def augment(perf: Performance, rng: np.random.Generator) -> Performance:
    notes = perf.notes.copy()
    pedal = list(perf.pedal)
    if len(notes):
        shift = int(rng.integers(-5, 6))
        lo, hi = notes[:, 2].min(), notes[:, 2].max()
        shift = int(np.clip(shift, 21 - lo, 108 - hi))
        notes[:, 2] += shift
    scale = float(rng.uniform(0.85, 1.2))  # tempo: >1 slower
    notes[:, :2] *= scale
    pedal = [(s * scale, e * scale) for s, e in pedal]
    # velocity curve: power curve and offset, clipped to MIDI range
    gamma = float(rng.uniform(0.7, 1.4))
    offs = float(rng.uniform(-12, 12))
    v = 127.0 * (notes[:, 3] / 127.0) ** gamma + offs
    notes[:, 3] = np.clip(np.round(v), 1, 127)
    return Performance(notes, pedal)
