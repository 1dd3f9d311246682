"""The decoding rules added for issue 3 (docs/transcription-decoding.md): the post-attack hold
(§3.4 rule 3, §4 step 3), harmonic suppression (§3.1b), sounding notes (§4) and the later manifest
keys that read as "off" when absent (§2). The TS twins are in
src/core/transcription/hold-and-harmonics.test.ts."""
import json
import os

import numpy as np
import pytest

from decode import DEFAULT_DECODING, decode_offline, decode_pedal, decode_streaming, sounding_notes

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OFF = {**DEFAULT_DECODING, "min_hold_s": 0.0, "harmonic_max_onset": 0.0, "semitone_max_onset": 0.0}
HOLD = {**OFF, "min_hold_s": 0.06}
HARM = {**OFF, "harmonic_max_onset": 0.8, "harmonic_window_s": 0.02}
SEMI = {**OFF, "semitone_max_onset": 0.9, "harmonic_window_s": 0.02}


def _post(T: int) -> dict[str, np.ndarray]:
    return {k: np.zeros((T, 88)) for k in ("onset", "frame", "offset", "velocity")} | {"pedal": np.zeros(T)}


def _note(p, pitch: int, on: int, off: int, peak: float = 0.9) -> None:
    k = pitch - 21
    p["onset"][on - 1:on + 2, k] = [0.3, peak, 0.4]
    p["frame"][on + 1:off, k] = 0.8
    p["velocity"][on, k] = 0.5


def test_hold_ignores_a_release_right_after_the_attack_offline_and_streaming():
    p = _post(200)
    _note(p, 60, 10, 80)
    p["frame"][14:17, 39] = 0.2  # the frame head dips 4-6 frames after the attack
    assert decode_offline(p, OFF)[0]["offset_s"] == pytest.approx(0.14)
    assert decode_streaming(p, OFF)[0]["offset_s"] == pytest.approx(0.14)
    assert decode_offline(p, HOLD)[0]["offset_s"] == pytest.approx(0.80)
    assert decode_streaming(p, HOLD)[0]["offset_s"] == pytest.approx(0.80)


def test_a_release_beginning_inside_the_hold_ends_the_note_just_after_it():
    p = _post(200)
    _note(p, 60, 10, 13)
    # hold 6 frames: frames 11..16 are not counted, frame 17 is the first released frame counted
    assert decode_offline(p, HOLD)[0]["offset_s"] == pytest.approx(0.17)
    assert decode_streaming(p, HOLD)[0]["offset_s"] == pytest.approx(0.17)


@pytest.mark.parametrize("interval", [12, 19, 24, -12])
def test_harmonic_and_sub_octave_ghosts_are_dropped(interval):
    p = _post(100)
    _note(p, 48, 20, 60, 0.95)
    _note(p, 48 + interval, 20, 40, 0.7)
    assert [n["pitch"] for n in decode_offline(p, HARM)] == [48]
    assert sorted(n["pitch"] for n in decode_offline(p, OFF)) == sorted([48, 48 + interval])


def test_harmonic_suppression_keeps_confident_distant_and_unrelated_peaks():
    def pitches(interval, peak, frame=20):
        p = _post(100)
        _note(p, 48, 20, 60, 0.95)
        _note(p, 48 + interval, frame, 40, peak)
        return [n["pitch"] for n in decode_offline(p, HARM)]
    assert pitches(7, 0.7) == [48, 55]
    assert pitches(12, 0.85) == [48, 60]  # at or above harmonic_max_onset
    assert pitches(12, 0.7, 23) == [48, 60]  # 3 frames apart, window 2 frames


@pytest.mark.parametrize("side", [-1, 1])
def test_semitone_leakage_beside_a_stronger_key_is_dropped(side):
    def pitches(peak, config=SEMI, frame=20, other=0.97):
        p = _post(100)
        _note(p, 60, 20, 60, other)
        _note(p, 60 + side, frame, 40, peak)
        return sorted(n["pitch"] for n in decode_offline(p, config))
    assert pitches(0.8) == [60]
    assert pitches(0.8, OFF) == sorted([60, 60 + side])  # rule off
    assert pitches(0.92) == sorted([60, 60 + side])  # at or above semitone_max_onset
    assert pitches(0.8, frame=23) == sorted([60, 60 + side])  # 3 frames apart, window 2 frames
    assert pitches(0.8, HARM) == sorted([60, 60 + side])  # the harmonic rule alone leaves a semitone be
    assert pitches(0.85, other=0.8) == [60 + side]  # the weaker of the two is the one dropped


def test_sounding_notes_extend_to_the_pedal_release_and_stop_at_a_restrike():
    notes = [{"pitch": 60, "onset_s": 0.1, "offset_s": 0.3, "velocity": 64},
             {"pitch": 60, "onset_s": 0.8, "offset_s": 0.9, "velocity": 64},
             {"pitch": 64, "onset_s": 0.1, "offset_s": 0.6, "velocity": 64}]
    pedal = [{"time_s": 0.2, "value": 127}, {"time_s": 1.5, "value": 0}]
    out = sounding_notes(notes, pedal)
    assert [n["offset_s"] for n in out] == pytest.approx([0.8, 1.5, 1.5])  # cut at the re-strike at 0.8
    assert [n["offset_s"] for n in notes] == [0.3, 0.9, 0.6]  # the decoder's notes are not modified
    assert sounding_notes(notes, []) == notes


def test_pedal_time_offset_moves_pedal_events_only_and_clamps_at_zero():
    p = _post(300)
    _note(p, 60, 50, 80)
    p["pedal"][2:40] = 0.9
    p["pedal"][100:200] = 0.9
    c = {**OFF, "time_offset_s": -0.01, "pedal_time_offset_s": -0.04}
    times = [e["time_s"] for e in decode_pedal(p["pedal"], c)]
    assert times == pytest.approx([0.0, 0.35, 0.95, 1.95])
    assert decode_offline(p, c) == decode_offline(p, {**c, "pedal_time_offset_s": 0.0})
    assert decode_offline(p, c)[0]["offset_s"] == pytest.approx(0.79)


def test_manifests_without_the_later_keys_decode_as_before():
    p = _post(200)
    _note(p, 60, 10, 80)
    p["frame"][14:17, 39] = 0.2
    p["pedal"][20:60] = 0.9
    later = ("min_hold_s", "harmonic_max_onset", "harmonic_window_s", "semitone_max_onset", "streaming_suppression",
             "pedal_time_offset_s")
    old = {k: v for k, v in DEFAULT_DECODING.items() if k not in later}
    assert decode_offline(p, old) == decode_offline(p, OFF)
    assert decode_streaming(p, old) == decode_streaming(p, OFF)
    assert decode_pedal(p["pedal"], old) == decode_pedal(p["pedal"], OFF)


@pytest.mark.parametrize("version", sorted(v for v in os.listdir(os.path.join(REPO, "models", "transcription"))
                                           if os.path.exists(os.path.join(REPO, "models", "transcription", v, "reference", "reference.json"))))
def test_reference_sounding_notes_are_the_notes_extended_by_the_pedal(version):
    ref = json.load(open(os.path.join(REPO, "models", "transcription", version, "reference", "reference.json")))
    if "sounding_notes" not in ref:
        pytest.skip(f"{version}: reference written before sounding notes existed")
    assert sounding_notes(ref["notes"], ref["pedal"]) == ref["sounding_notes"]
    assert any(s["offset_s"] > n["offset_s"] + 0.05 for n, s in zip(ref["notes"], ref["sounding_notes"]))


def test_streaming_causal_suppression_drops_a_weaker_neighbour_only_when_on():
    on = {**OFF, "harmonic_max_onset": 0.8, "semitone_max_onset": 0.9, "harmonic_window_s": 0.02, "streaming_suppression": 1}

    def heard(interval, frame, config):
        p = _post(100)
        _note(p, 60, 20, 60, 0.95)
        _note(p, 60 + interval, frame, 45, 0.7)
        return sorted(n["pitch"] for n in decode_streaming(p, config))
    for interval in (1, -1, 12, 19):
        assert heard(interval, 20, on) == [60]
        assert heard(interval, 21, on) == [60]  # a frame after the stronger key: still within the window
        assert heard(interval, 20, OFF) == sorted([60, 60 + interval])
    assert heard(7, 20, on) == [60, 67]
    assert heard(1, 17, on) == [60, 61]  # causal: it rose before the stronger key


# §3.1c frame-rise onsets: the same cases as src/core/transcription/frame-rise-onsets.test.ts.
RISE = {**OFF, "frame_onset_max_pitch": 40, "frame_onset_low": 0.2, "frame_onset_high": 0.6,
        "frame_onset_rise_frames": 4, "frame_onset_confirm_frames": 10, "frame_onset_window_s": 0.05,
        "note_off_frames": 2}


def _frame_only(pitch: int, start: int, end: int, level: float = 0.9, rise: int = 2, T: int = 120):
    p = _post(T)
    for t in range(start, end):
        p["frame"][t, pitch - 21] = min(level, level * (t - start + 1) / rise)
    p["velocity"][start, pitch - 21] = 0.4
    return p


def test_frame_rise_starts_a_bass_note_the_onset_head_missed():
    p = _frame_only(33, 20, 70)
    assert decode_offline(p, OFF) == []
    notes = decode_offline(p, RISE)
    assert [(n["pitch"], round(n["onset_s"], 9), round(n["offset_s"], 9)) for n in notes] == [(33, 0.2, 0.7)]


def test_frame_rise_adds_nothing_beside_an_onset_peak_or_outside_its_range():
    p = _post(120)
    _note(p, 33, 20, 70)
    assert decode_offline(p, RISE) == decode_offline(p, OFF)
    assert decode_offline(_frame_only(41, 20, 70), RISE) == []
    assert decode_offline(_frame_only(33, 20, 26), RISE) == []
    assert decode_offline(_frame_only(33, 20, 70, 0.9, 9), RISE) == []
    assert decode_offline(_frame_only(33, 20, 70, 0.5), RISE) == []


def test_frame_rise_reads_a_restrike_after_the_posterior_fell_back():
    p = _frame_only(30, 10, 40, 0.9, 4)
    p["frame"][50:90, 30 - 21] = 0.9
    notes = decode_offline(p, RISE)
    assert [round(n["onset_s"], 2) for n in notes] == [0.11, 0.5]
    assert notes[0]["offset_s"] <= 0.5


def test_streaming_frame_rise_sends_the_bass_note_late_with_the_rise_time():
    p = _frame_only(33, 20, 70)
    assert decode_streaming(p, OFF) == []
    notes = decode_streaming(p, RISE)
    assert [(n["pitch"], round(n["onset_s"], 9), round(n["offset_s"], 9)) for n in notes] == [(33, 0.2, 0.7)]
    assert decode_streaming(_frame_only(33, 20, 26), RISE) == []
    assert decode_streaming(_frame_only(41, 20, 70), RISE) == []
    restrike = _frame_only(30, 10, 40, 0.9, 4)
    restrike["frame"][50:90, 30 - 21] = 0.9
    assert [round(n["onset_s"], 2) for n in decode_streaming(restrike, RISE)] == [0.11, 0.5]


def test_streaming_frame_rise_is_never_stamped_before_a_note_on_already_sent():
    p = _frame_only(33, 20, 70)
    _note(p, 60, 25, 60)
    notes = decode_streaming(p, RISE)
    assert sorted((n["pitch"], round(n["onset_s"], 9)) for n in notes) == [(33, 0.25), (60, 0.25)]
    assert [(n["pitch"], round(n["onset_s"], 2)) for n in decode_offline(p, RISE)] == [(33, 0.2), (60, 0.25)]
