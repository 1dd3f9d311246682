"""The Salamander sampler's promises to the labels: attacks on the labelled frame, sound held by the
sustain pedal until its release, louder layers for higher velocities, re-strikes ending the old voice.

Needs the sample cache (synth/fetch_salamander.sh); skipped with the reason when it is absent.

  cd models/training && .venv/bin/python -m pytest -q tests/test_sampler.py
"""
from __future__ import annotations

import os

import numpy as np
import pytest

from common import FRAME_RATE, SAMPLE_RATE, logmel_numpy
from synth import sampler
from synth.midi_io import Performance

pytestmark = pytest.mark.skipif(not os.path.exists(os.path.join(sampler.CACHE, "index.json")),
                                reason="Salamander samples not fetched: run synth/fetch_salamander.sh")


@pytest.fixture(scope="module")
def piano() -> sampler.Sampler:
    return sampler.Sampler()


def frame_energy(audio: np.ndarray) -> np.ndarray:
    """Total mel power per 10 ms frame, in natural-log units (as the model's front end sees it)."""
    return np.log(np.exp(logmel_numpy(audio).astype(np.float64)).sum(axis=1))


def rms_db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.asarray(x, np.float64) ** 2) + 1e-20))


@pytest.mark.parametrize("pitch", [21, 33, 60, 62, 86, 108])  # sampled and re-pitched keys, both ends
@pytest.mark.parametrize("velocity", [20, 100])
def test_single_note_energy_onset_is_within_one_frame_of_its_label(piano, pitch, velocity):
    onset = 0.537  # off the frame grid on purpose
    audio = piano.render(Performance(np.array([[onset, onset + 0.8, pitch, velocity]], float), []))
    energy = frame_energy(audio)
    label = int(round(onset * FRAME_RATE))
    peak = energy.max()
    # first frame whose energy comes within 20 dB (ln units: 4.6) of the note's peak
    heard = int(np.argmax(energy > peak - 4.6))
    assert abs(heard - label) <= 1, (heard, label)
    assert energy[label - 3] < peak - 8  # silence before the note


def test_sample_accurate_attack(piano):
    """Two renders 1 ms apart differ by exactly 16 samples of delay."""
    a = piano.render(Performance(np.array([[0.2, 0.5, 64, 90]], float), []), tail=0.5)
    b = piano.render(Performance(np.array([[0.201, 0.501, 64, 90]], float), []), tail=0.5)
    assert np.argmax(np.abs(a) > 1e-4) + 16 == np.argmax(np.abs(b) > 1e-4)
    assert np.allclose(a[:len(a) - 16], b[16:len(a)], atol=1e-6)


def test_sustain_pedal_holds_the_note_until_its_release(piano):
    note = np.array([[0.1, 0.3, 48, 80]], float)
    held = piano.render(Performance(note, [(0.2, 1.5)]), tail=0.5)
    dry = piano.render(Performance(note, []), tail=1.7)  # same length: 2.0 s
    assert len(dry) == len(held)
    window = slice(int(0.9 * SAMPLE_RATE), int(1.4 * SAMPLE_RATE))  # key up, pedal still down
    after = slice(int(1.8 * SAMPLE_RATE), int(1.95 * SAMPLE_RATE))  # 300 ms after the pedal release
    assert rms_db(held[window]) > rms_db(dry[window]) + 40  # undamped vs damped long ago
    assert rms_db(held[window]) > -60
    assert rms_db(held[after]) < rms_db(held[window]) - 30  # the pedal release damps it


def test_key_release_damps_the_note_quickly(piano):
    audio = piano.render(Performance(np.array([[0.1, 0.6, 60, 90]], float), []), tail=1.0)
    before = audio[int(0.5 * SAMPLE_RATE):int(0.6 * SAMPLE_RATE)]
    later = audio[int(0.9 * SAMPLE_RATE):int(1.0 * SAMPLE_RATE)]
    assert rms_db(later) < rms_db(before) - 30


def test_louder_velocity_layers_are_louder(piano):
    for pitch in (36, 60, 84):
        levels = []
        for vel in range(8, 128, 8):
            audio = piano.render(Performance(np.array([[0.1, 0.6, pitch, vel]], float), []), tail=0.2)
            levels.append(rms_db(audio[int(0.1 * SAMPLE_RATE):int(0.3 * SAMPLE_RATE)]))
        assert all(b > a for a, b in zip(levels, levels[1:])), (pitch, np.round(levels, 1))
        assert levels[-1] - levels[0] > 20  # pp to ff


def test_repitched_neighbour_sounds_at_the_requested_pitch(piano):
    """Keys between sampled notes are resampled from the nearest one: the spectral peak must move."""
    for pitch in (68, 70):  # sampled A4 is 69
        audio = piano.render(Performance(np.array([[0.0, 1.0, pitch, 90]], float), []), tail=0.0)
        seg = audio[int(0.1 * SAMPLE_RATE):int(0.9 * SAMPLE_RATE)]
        spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
        freqs = np.fft.rfftfreq(len(seg), 1 / SAMPLE_RATE)
        band = (freqs > 300) & (freqs < 600)
        f0 = freqs[band][np.argmax(spec[band])]
        expected = 440.0 * 2 ** ((pitch - 69) / 12)
        assert abs(1200 * np.log2(f0 / expected)) < 25, (pitch, f0, expected)


def test_restrike_ends_the_previous_voice(piano):
    """A key struck again under the pedal: the old voice is faded within 30 ms of the new onset, so
    the mix equals the new note alone from then on (plus nothing left of the old one)."""
    both = piano.render(Performance(np.array([[0.1, 0.4, 60, 100], [0.6, 1.0, 60, 40]], float), [(0.0, 1.2)]),
                        tail=0.3)
    second = piano.render(Performance(np.array([[0.6, 1.0, 60, 40]], float), [(0.0, 1.2)]), tail=0.3)
    late = slice(int(0.64 * SAMPLE_RATE), int(1.1 * SAMPLE_RATE))
    assert np.allclose(both[late], second[late], atol=1e-4 * np.abs(second).max())
    early = slice(int(0.5 * SAMPLE_RATE), int(0.6 * SAMPLE_RATE))
    assert rms_db(both[early]) > rms_db(second[early]) + 40  # the first note really was sounding


def partial_levels_db(audio: np.ndarray, pitch: int, onset: float, harmonics: tuple[int, ...]) -> list[float]:
    """Level (dB) of the strongest bin within a quarter tone of each harmonic, 50-550 ms after onset."""
    seg = audio[int((onset + 0.05) * SAMPLE_RATE):int((onset + 0.55) * SAMPLE_RATE)].astype(np.float64)
    spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg)), 8 * len(seg)))
    freqs = np.fft.rfftfreq(8 * len(seg), 1 / SAMPLE_RATE)
    f0 = 440.0 * 2 ** ((pitch - 69) / 12)
    out = []
    for h in harmonics:
        band = np.abs(freqs - h * f0) < h * f0 * (2 ** (1 / 24) - 1)
        out.append(float(20 * np.log10(spec[band].max() + 1e-12)))
    return out


@pytest.mark.parametrize("pitch", [28, 36, 45])
def test_weak_bass_thins_the_fundamental_and_keeps_onset_and_loudness(piano, pitch):
    onset = 0.4
    perf = Performance(np.array([[onset, onset + 1.0, pitch, 80]], float), [])
    plain = piano.render(perf, tail=0.2)
    thin = piano.render(perf, tail=0.2, weak_bass=3.0)
    p1, p2, p6 = partial_levels_db(plain, pitch, onset, (1, 2, 6))
    t1, t2, t6 = partial_levels_db(thin, pitch, onset, (1, 2, 6))
    # relative to the 6th partial, the fundamental falls by well over 10 dB, the 2nd less
    assert (p1 - p6) - (t1 - t6) > 10
    assert (p1 - p6) - (t1 - t6) > (p2 - p6) - (t2 - t6)
    # loudness of the attack kept (within 1 dB) and the attack still within one frame of its label
    a = int(onset * SAMPLE_RATE)
    assert abs(rms_db(thin[a:a + sampler.LEVEL_WINDOW]) - rms_db(plain[a:a + sampler.LEVEL_WINDOW])) < 1.0
    energy = frame_energy(thin)
    heard = int(np.argmax(energy > energy.max() - 4.6))
    assert abs(heard - int(round(onset * FRAME_RATE))) <= 1


def test_weak_bass_leaves_keys_above_e3_untouched(piano):
    perf = Performance(np.array([[0.3, 1.0, 53, 80], [0.3, 1.0, 72, 80]], float), [])
    assert np.array_equal(piano.render(perf, tail=0.2), piano.render(perf, tail=0.2, weak_bass=3.0))
