"""What travels to a GPU machine (gpu_pack.py) and how gpu_finetune.py makes its clips and batches.

  cd models/training && .venv/bin/python -m pytest -q tests/test_gpu_finetune.py
"""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from common import num_frames
from gpu_finetune import crop_batch, make_clip
from gpu_pack import BLOCK, block_int8, unblock_int8, unpack_salamander
from synth import sampler as sampler_mod


def test_block_int8_error_stays_48_db_below_each_block_peak():
    rng = np.random.default_rng(0)
    decay = np.exp(-np.arange(40 * BLOCK + 17) / 3000.0)  # a decaying note: block peaks span ~60 dB
    x = (rng.standard_normal(len(decay)) * decay).astype(np.float32)
    q, scale = block_int8(x)
    y = unblock_int8(q, scale)
    assert q.dtype == np.int8 and len(y) == len(x)
    for b in range(0, len(x), BLOCK):
        peak = np.abs(x[b:b + BLOCK]).max()
        err = np.abs(y[b:b + BLOCK] - x[b:b + BLOCK]).max()
        assert err <= peak / 254 + 1e-9


def test_unpack_fills_missing_layers_from_the_nearest_kept_one(tmp_path):
    idx = {"notes": [{"layer": L, "pitch": 60, "offset": (L - 1) * 300, "length": 300} for L in (1, 2, 3)],
           "releases": [{"pitch": 60, "offset": 0, "length": 10}]}
    kept = []
    for L in (1, 3):
        q, s = block_int8(np.full(300, 0.1 * L, np.float32))
        kept.append({"layer": L, "pitch": 60, "q": q, "scale": s})
    import lzma
    import pickle
    with lzma.open(tmp_path / "s.xz", "wb") as f:
        pickle.dump({"index": idx, "kept": kept, "releases": np.zeros(10, np.float16), "kept_layers": [1, 3]}, f)
    unpack_salamander(str(tmp_path / "s.xz"), str(tmp_path / "cache"))
    notes = np.load(tmp_path / "cache" / "notes.npy")
    assert json.load(open(tmp_path / "cache" / "index.json")) == idx
    np.testing.assert_allclose(notes[:300], 0.1, atol=1e-3)
    np.testing.assert_allclose(notes[300:600], 0.1, atol=1e-3)  # layer 2 <- layer 1 (tie goes to the lower)
    np.testing.assert_allclose(notes[600:], 0.3, atol=1e-3)


@pytest.mark.skipif(not os.path.exists(os.path.join(sampler_mod.CACHE, "index.json")),
                    reason="no Salamander cache (synth/fetch_salamander.sh)")
def test_make_clip_labels_line_up_with_the_audio_features():
    from synth import procedural
    rng = np.random.default_rng(3)
    perfs = [procedural.generate(np.random.default_rng(i), 15.0) for i in range(3)]
    weights = np.full(3, 1 / 3)
    s = sampler_mod.Sampler()
    for i in range(4):  # half with thinned bass: labels must not depend on the voicing
        c = make_clip(rng, perfs, weights, s, weak_bass=float(i % 2))
        T = len(c["mel"])
        assert c["mel"].dtype == np.float16 and c["mel"].shape[1] == 229
        assert all(c[k].shape[0] == T for k in ("onset", "frame", "offset", "velocity", "pedal"))
        assert c["onset"].sum() > 0 and (c["frame"] >= c["onset"]).all()
        assert T >= num_frames(10 * 16000) * 0.7  # 10-20 s segments (tempo augmentation may shorten)


def test_crop_batch_draws_the_rehearsal_share_from_the_old_clips():
    def clip(level: float) -> dict[str, np.ndarray]:
        T = 500
        return {"mel": np.full((T, 229), level, np.float16), "onset": np.zeros((T, 88), np.uint8),
                "frame": np.zeros((T, 88), np.uint8), "offset": np.zeros((T, 88), np.uint8),
                "velocity": np.zeros((T, 88), np.uint8), "pedal": np.zeros(T, np.uint8)}
    fresh, old = [clip(1.0)], [clip(-1.0)]
    rng = np.random.default_rng(0)
    shares = []
    for _ in range(50):
        b = crop_batch(rng, fresh, old, 32, 200, 0.25)
        assert b["mel"].shape == (32, 200, 229)
        shares.append(float((b["mel"][:, 0, 0] < 0).float().mean()))
    assert 0.18 < np.mean(shares) < 0.32
    b = crop_batch(rng, fresh, [], 8, 200, 0.25)
    assert (b["mel"] > 0).all()


def test_output_delay_comes_from_the_environment_and_is_range_checked():
    import subprocess
    import sys
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    run = lambda v: subprocess.run([sys.executable, "-c", "import common; print(common.OUTPUT_DELAY_FRAMES)"],  # noqa: E731
                                   cwd=here, env={**os.environ, "SEMINOTE_OUTPUT_DELAY_FRAMES": v},
                                   capture_output=True, text=True)
    assert run("1").stdout.strip() == "1"
    bad = run("9")
    assert bad.returncode != 0 and "0..6" in bad.stderr
