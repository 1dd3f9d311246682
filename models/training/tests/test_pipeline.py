"""Fast checks of the pieces the model's correctness rests on: front end, streaming parity, labels,
MIDI round trip, synthesiser alignment and the decoder (docs/transcription-decoding.md).

  cd models/training && .venv/bin/python -m pytest -q tests
"""
from __future__ import annotations

import json
import os
import tempfile

import numpy as np
import pytest
import torch

from common import CONTEXT_SAMPLES, HOP, SAMPLE_RATE, extend_by_pedal, logmel_numpy, make_labels
from decode import DEFAULT_DECODING, decode_offline, decode_pedal, decode_streaming
from model import Transcriber
from synth.midi_io import Performance, read_midi, write_midi

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def test_graph_frontend_equals_cached_numpy_features():
    rng = np.random.default_rng(0)
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    audio = (0.3 * np.sin(2 * np.pi * 55 * t) + 0.01 * rng.standard_normal(len(t))).astype(np.float32)
    fe = Transcriber().frontend
    with torch.no_grad():
        graph = fe(torch.nn.functional.pad(torch.from_numpy(audio)[None], (CONTEXT_SAMPLES, 0)))[0].numpy()
    ref = logmel_numpy(audio)
    assert graph.shape == ref.shape == (SAMPLE_RATE // HOP, 229)
    assert np.abs(graph - ref).max() < 1e-3


def test_streaming_step_reproduces_offline_output():
    torch.manual_seed(0)
    m = Transcriber().eval()
    audio = torch.randn(1, 40 * HOP) * 0.1
    with torch.no_grad():
        offline = m(audio)
        state = [torch.zeros(1, CONTEXT_SAMPLES)] + list(m.zero_state(1)[0]) + [m.zero_state(1)[1]]
        outs = []
        for t in range(0, 40, 3):  # uneven chunking on purpose: 3 hops per call, 1 at the end
            chunk = audio[:, t * HOP:min(t + 3, 40) * HOP]
            r = m.step(chunk, *state)
            outs.append(r[:5])
            state = list(r[5:])
    for i in range(5):
        streamed = torch.cat([o[i] for o in outs], dim=1)
        assert torch.allclose(streamed, offline[i], atol=1e-5)


def test_pedal_extends_notes_until_release_or_restrike():
    notes = np.array([[0.0, 0.5, 60, 80], [1.0, 1.2, 60, 70], [0.2, 0.3, 64, 50]], float)
    ext = extend_by_pedal(notes, [(0.4, 1.5)])
    assert ext[0, 1] == pytest.approx(1.0)  # held by the pedal, cut by the re-strike of 60
    assert ext[1, 1] == pytest.approx(1.5)  # released under the pedal: lasts to the pedal release
    assert ext[2, 1] == pytest.approx(0.3)  # released before the pedal went down
    lab = make_labels(ext, [(0.4, 1.5)], 200)
    k = 60 - 21
    assert lab["onset"][0, k] == 1 and lab["onset"][100, k] == 1 and lab["onset"][:, k].sum() == 2
    assert lab["frame"][0:150, k].all() and not lab["frame"][150:, k].any()
    assert lab["velocity"][100, k] == 70
    assert lab["pedal"][40:150].all() and not lab["pedal"][:40].any()


def test_midi_round_trip_keeps_notes_and_pedal():
    perf = Performance(np.array([[0.1, 0.6, 60, 90], [0.35, 0.4, 72, 20], [0.6, 0.9, 60, 64]], float), [(0.2, 0.8)])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "x.mid")
        write_midi(perf, path)
        back = read_midi(path)
    assert np.allclose(back.notes, perf.notes, atol=1e-3)
    assert np.allclose(back.pedal, perf.pedal, atol=1e-3)


def test_fluidsynth_render_is_aligned_with_labels():
    from synth.render import render_batch
    perfs = [Performance(np.array([[0.5, 1.0, 60, 100]], float), []),
             Performance(np.array([[0.25, 0.6, 48, 100]], float), [])]
    clips = render_batch(perfs, "timgm6mb", 0)
    for clip, p in zip(clips, perfs):
        energy = np.log(np.exp(logmel_numpy(clip)).sum(axis=1))
        on = int(round(p.notes[0, 0] * 100))
        assert energy[on - 3] < energy.max() - 8  # silence before the note
        assert energy[on + 2] > energy.max() - 3  # full sound within 20 ms of the labelled onset


def _post(T: int) -> dict[str, np.ndarray]:
    return {k: np.zeros((T, 88)) for k in ("onset", "frame", "offset", "velocity")} | {"pedal": np.zeros(T)}


def test_offline_decoder_follows_the_spec():
    p = _post(60)
    k = 39  # MIDI 60
    p["onset"][9:12, k] = [0.4, 0.9, 0.6]  # peak at 10, parabola pulls it later
    p["velocity"][10, k] = 0.5
    p["frame"][10:30, k] = 0.8  # released at frame 30 (K = 2 frames below threshold)
    p["onset"][40, k] = 0.7  # second note, ended by an offset peak
    p["frame"][40:55, k] = 0.9
    p["offset"][47:50, k] = [0.2, 0.8, 0.3]
    p["pedal"][5:20] = 0.9
    notes = decode_offline(p, DEFAULT_DECODING)
    assert [n["pitch"] for n in notes] == [60, 60]
    a = 0.4; b = 0.9; c = 0.6
    delta = 0.5 * (a - c) / (a - 2 * b + c)
    assert notes[0]["onset_s"] == pytest.approx((10 + delta) / 100)
    assert notes[0]["offset_s"] == pytest.approx(0.30)
    assert notes[0]["velocity"] == 64  # floor(0.5 * 127 + 0.5)
    assert notes[1]["onset_s"] == pytest.approx(0.40)
    assert 0.475 < notes[1]["offset_s"] < 0.485
    assert decode_pedal(p["pedal"], DEFAULT_DECODING) == [{"time_s": 0.05, "value": 127}, {"time_s": 0.2, "value": 0}]
    stream = decode_streaming(p, DEFAULT_DECODING)
    assert [round(n["onset_s"], 2) for n in stream] == [0.10, 0.40]  # rising edges (0.9 at 10, 0.7 at 40)
    assert stream[0]["offset_s"] == pytest.approx(0.30)
    assert stream[1]["offset_s"] == pytest.approx(0.48)  # offset crossing at frame 48


def test_restrike_and_retrigger_gap():
    p = _post(40)
    k = 40
    p["onset"][[5, 6, 7, 20], k] = [0.8, 0.3, 0.9, 0.8]  # 7 is within the 3-frame retrigger gap of 5
    p["frame"][5:35, k] = 0.9
    notes = decode_offline(p, DEFAULT_DECODING)
    assert len(notes) == 2
    assert notes[0]["offset_s"] == pytest.approx(notes[1]["onset_s"])  # re-strike ends the old note


@pytest.mark.parametrize("version_dir", sorted(
    d for d in (os.path.join(REPO, "models", "transcription", v) for v in
                os.listdir(os.path.join(REPO, "models", "transcription"))) if os.path.isdir(d))
    if os.path.isdir(os.path.join(REPO, "models", "transcription")) else [])
def test_committed_reference_is_consistent(version_dir):
    ref = json.load(open(os.path.join(version_dir, "reference", "reference.json")))
    post = {k: np.array(v) for k, v in ref["posteriors"].items()}
    notes = decode_offline(post, ref["decoding"])
    assert [n["pitch"] for n in notes] == [n["pitch"] for n in ref["notes"]]
    assert np.allclose([n["onset_s"] for n in notes], [n["onset_s"] for n in ref["notes"]], atol=0.011)


def test_output_delay_shifts_labels_and_undelay_restores_alignment():
    """Training shifts every label OUTPUT_DELAY_FRAMES later; scoring undoes it. A round trip must
    put each onset back on its labelled frame, and the widened target must cover the next frame."""
    from common import OUTPUT_DELAY_FRAMES, delay_labels, undelay_posteriors
    from train import widen_onsets
    d = OUTPUT_DELAY_FRAMES
    assert 1 <= d <= 4  # the issue allows at most 40 ms of look-ahead
    onset = torch.zeros(1, 50, 88)
    onset[0, 10, 40] = 1
    delayed = delay_labels(onset)
    assert delayed[0, 10 + d, 40] == 1 and delayed.sum() == 1
    wide = widen_onsets(delayed)
    assert wide[0, 10 + d, 40] == 1 and wide[0, 11 + d, 40] == 1 and wide.sum() == 2
    back = undelay_posteriors({"onset": delayed[0].numpy()})["onset"]
    assert back.shape == (50, 88) and back[10, 40] == 1 and back.sum() == 1
