"""Held-out timbres stay out of training and validation, and every held-out timbre renders the same test
clips (ids, labels, conditions) into its own directory; the second held-out piano (csound's sf_GMbank)
sounds every key on its label.

  cd models/training && .venv/bin/python -m pytest -q tests/test_timbres.py
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import pytest

import evaluate
from synth import build_dataset, probe_timbre, render
from synth.midi_io import Performance

CSOUND_SF2 = render.TIMBRES["csound"][1]
needs_csound = pytest.mark.skipif(not os.path.exists(CSOUND_SF2),
                                  reason=f"{CSOUND_SF2} missing: apt-get install csound-soundfont")


def test_held_out_timbres_are_known_and_never_training_timbres():
    assert render.HELD_OUT_TIMBRE in render.HELD_OUT_TIMBRES
    assert set(render.HELD_OUT_TIMBRES) >= {"freepats", "csound"}
    for t in render.HELD_OUT_TIMBRES:
        assert t in render.TIMBRES
        assert t not in render.TRAIN_TIMBRES
        assert t not in render.SOUNDFONT_TIMBRES
    # the held-out soundfont is no training soundfont under another name either
    train_files = {render.TIMBRES[t][1] for t in render.TRAIN_TIMBRES}
    assert not train_files & {render.TIMBRES[t][1] for t in render.HELD_OUT_TIMBRES}


@pytest.mark.parametrize("held_out", render.HELD_OUT_TIMBRES)
def test_training_and_validation_refuse_every_held_out_timbre(held_out, tmp_path, monkeypatch):
    monkeypatch.setattr(build_dataset, "WORK", str(tmp_path))
    with pytest.raises(ValueError, match="held out"):
        build_dataset.check_train_timbres([held_out])
    with pytest.raises(ValueError):
        build_dataset.check_train_timbres(render.TRAIN_TIMBRES + [held_out])
    with pytest.raises(ValueError):
        build_dataset.build_train(1, 12345, [held_out])
    for split in ("val", "val-singles"):
        with pytest.raises(ValueError):
            build_dataset.build_eval(split, 1, ["fluidr3", held_out])
    assert list(tmp_path.iterdir()) == []  # refused before anything was rendered or written
    for split in ("train", "val", "val-singles"):
        monkeypatch.setattr(sys, "argv", ["build_dataset", "--split", split, "--timbres", held_out])
        with pytest.raises(SystemExit):
            build_dataset.main()
    build_dataset.check_train_timbres(render.TRAIN_TIMBRES)  # the training timbres themselves pass


def test_each_held_out_timbre_has_its_own_test_directory_and_manifest_key():
    assert build_dataset.held_out_split("freepats") == "test"
    assert build_dataset.held_out_split("csound") == "test_csound"
    with pytest.raises(ValueError):
        build_dataset.held_out_split("fluidr3")
    assert evaluate.test_dir("freepats").endswith(os.path.join("work", "data", "test"))
    assert evaluate.test_dir("csound").endswith(os.path.join("work", "data", "test_csound"))
    # the first timbre keeps the manifest's "evaluation"; a second one never replaces it
    assert evaluate.result_keys("freepats", "0.6.0") == ("evaluation", "0.6.0.json")
    assert evaluate.result_keys("csound", "0.6.0") == ("evaluation_csound", "0.6.0_csound.json")
    assert set(evaluate.HELD_OUT_DESCRIPTIONS) == set(render.HELD_OUT_TIMBRES)


@needs_csound
def test_held_out_timbres_render_the_same_clips_under_the_same_ids(tmp_path, monkeypatch):
    monkeypatch.setattr(build_dataset, "WORK", str(tmp_path))
    music = Performance(np.array([[0.2, 0.9, 40, 80], [0.5, 1.5, 64, 60], [0.5, 1.5, 67, 60]], np.float64), [(0.4, 1.8)])
    single = Performance(np.array([[0.3, 0.8, 21, 110]], np.float64), [])
    items = [("music", [("a.mid@5s", music)]), ("single", [("single_notes_v110@0s", single)])]
    monkeypatch.setattr(build_dataset, "held_out_items", lambda seed: items)
    for t in ("freepats", "csound"):
        build_dataset.build_test(1, t)
    a, b = tmp_path / "test", tmp_path / "test_csound"
    names = sorted(p.name for p in a.glob("*.npz"))
    assert names == sorted(p.name for p in b.glob("*.npz")) == [
        "music_dry_000.npz", "music_room_000.npz", "single_dry_000.npz", "single_room_000.npz"]
    for n in names:
        with np.load(a / n) as za, np.load(b / n) as zb:
            assert np.array_equal(za["notes"], zb["notes"]) and np.array_equal(za["onset"], zb["onset"])
            ma, mb = json.loads(str(za["meta"])), json.loads(str(zb["meta"]))
            assert (ma["timbre"], mb["timbre"]) == ("freepats", "csound")
            assert ma["condition"] == mb["condition"] and ma["source"] == mb["source"]
        assert (a / "wav" / n.replace(".npz", ".wav")).exists() and (b / "wav" / n.replace(".npz", ".wav")).exists()


@needs_csound
def test_csound_piano_sounds_every_key_on_its_label_and_louder_with_velocity():
    rows = probe_timbre.probe("csound", [40, 100])
    assert not [r for r in rows if r.get("silent")]
    by = {(r["pitch"], r["velocity"]): r for r in rows}
    for p in range(21, 109):
        soft, loud = by[(p, 40)], by[(p, 100)]
        for r in (soft, loud):
            assert r["pre_dbfs"] < -70  # nothing before the label
            assert 0 <= r["t10_ms"] <= 20 and r["t50_ms"] <= 35  # the attack starts on the label's frame
            assert abs(r["cents"]) < 25  # the right key
        assert loud["peak_dbfs"] > soft["peak_dbfs"] + 6
