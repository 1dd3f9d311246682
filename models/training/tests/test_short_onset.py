"""The short-window onset branch (model.ShortOnset, the delay-1 experiment): growing 0.6.0's
architecture into it changes nothing, streaming still reproduces the offline pass with the branch
active, its window ends where the long window ends (no added look-ahead), the training batches carry
its features, and an export of a model with it keeps step.onnx's interface.

  cd models/training && .venv/bin/python -m pytest -q tests/test_short_onset.py
"""
from __future__ import annotations

import numpy as np
import torch

from common import CONTEXT_SAMPLES, HOP, LOG_EPS, SHORT_BANDS, SHORT_N, logmel_numpy, short_numpy
from model import build_model, grow_state
from test_growth import CONTRAST_ARCH, _assert_grown_computes_as_source, _assert_streaming_matches_offline

SHORT_ARCH = {**CONTRAST_ARCH, "short_onset": True}


def _source_060() -> torch.nn.Module:
    """0.6.0's architecture with non-trivial weights in every branch."""
    torch.manual_seed(21)
    src = build_model(CONTRAST_ARCH).eval()
    with torch.no_grad():
        torch.nn.init.normal_(src.bypass.weight, std=0.05)
        torch.nn.init.normal_(src.keys.out.weight, std=0.3)
        torch.nn.init.normal_(src.contrast.out.weight, std=0.3)
        for m in src.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
    return src


def _active(seed: int) -> torch.nn.Module:
    """A model with the branch whose zero-initialised outputs (both paths) are made non-zero."""
    torch.manual_seed(seed)
    m = build_model(SHORT_ARCH).eval()
    with torch.no_grad():
        torch.nn.init.normal_(m.short.out.weight, std=0.5)
        torch.nn.init.normal_(m.short.key_bias, std=0.5)
        torch.nn.init.normal_(m.short.dense.weight, std=0.05)
    return m


def test_short_branch_grown_from_060_starts_as_the_source():
    src = _source_060()
    _assert_grown_computes_as_source(src, SHORT_ARCH, frames=50)
    grown = build_model(SHORT_ARCH)
    state = grow_state(src.state_dict(), grown)
    assert float(state["short.out.weight"].abs().sum()) == 0 and float(state["short.dense.weight"].abs().sum()) == 0


def test_short_branch_streaming_step_reproduces_offline_output():
    m = _active(22)
    audio = torch.randn(1, 40 * HOP) * 0.1
    offline = _assert_streaming_matches_offline(m, audio)
    with torch.no_grad():  # and the branch counts: silencing it changes the onsets
        torch.nn.init.zeros_(m.short.out.weight)
        torch.nn.init.zeros_(m.short.dense.weight)
        assert not torch.allclose(m(audio)[0], offline[0], atol=1e-3)


def test_short_window_ends_where_the_long_window_ends():
    """Frame k's windows (both) end at sample (k+1)*HOP of the audio: a click on the last sample they
    cover moves frame k, a click one sample later leaves frames 0..k alone (short features, log-mel
    and every head of the whole model)."""
    m = _active(23)
    T, k = 30, 12
    base = np.random.default_rng(0).standard_normal(T * HOP).astype(np.float32) * 0.01

    def feats(audio):
        x = torch.from_numpy(audio)[None]
        with torch.no_grad():
            short = m.short.features(torch.nn.functional.pad(x, (CONTEXT_SAMPLES, 0)))[0, 1:].numpy()  # frames 0..T-1
            heads = [h[0].numpy() for h in m(x)]
        return short, logmel_numpy(audio), heads

    s0, l0, h0 = feats(base)
    # both windows taper to the right edge; the last sample they cover weighs ~3e-5: a loud click
    for pos, moves in (((k + 1) * HOP - 1, True), ((k + 1) * HOP, False)):
        click = base.copy()
        click[pos] += 100.0
        s1, l1, h1 = feats(click)
        assert np.allclose(s1[:k], s0[:k], atol=1e-5) and np.allclose(l1[:k], l0[:k], atol=1e-5)
        assert (not np.allclose(s1[k], s0[k], atol=1e-3)) == moves
        assert (not np.allclose(l1[k], l0[k], atol=1e-3)) == moves
        upto = k if moves else k + 1  # the heads of every frame before the click's are unmoved
        for a, b in zip(h1, h0):
            assert np.allclose(a[:upto], b[:upto], atol=1e-5)
    # and the window is short: a click SHORT_N samples before the end no longer reaches frame k
    click = base.copy()
    click[(k + 1) * HOP - SHORT_N - 1] += 1.0
    s1, _, _ = feats(click)
    assert np.allclose(s1[k], s0[k], atol=1e-5)


def test_graph_short_features_equal_the_numpy_reference():
    rng = np.random.default_rng(1)
    t = np.arange(16000) / 16000
    audio = (0.3 * np.sin(2 * np.pi * 220 * t) * (t > 0.4) + 0.01 * rng.standard_normal(len(t))).astype(np.float32)
    m = build_model(SHORT_ARCH)
    with torch.no_grad():
        graph = m.short.features(torch.nn.functional.pad(torch.from_numpy(audio)[None], (CONTEXT_SAMPLES, 0)))[0].numpy()
    ref = short_numpy(audio)
    assert graph.shape == ref.shape == (100 + 1, SHORT_BANDS)
    assert np.abs(graph - ref).max() < 1e-3
    assert np.allclose(ref[0], np.log(LOG_EPS))  # row 0: the frame before the first, all left padding


def test_batches_carry_short_rows_of_the_crop_and_the_frame_before():
    from train import losses, stack_crops
    T = 300
    rng = np.random.default_rng(2)

    def clip(with_short: bool) -> dict:
        d = {"mel": rng.standard_normal((T, 229)).astype(np.float16) - 6, "onset": np.zeros((T, 88), np.uint8),
             "frame": np.zeros((T, 88), np.uint8), "offset": np.zeros((T, 88), np.uint8),
             "velocity": np.zeros((T, 88), np.uint8), "pedal": np.zeros(T, np.uint8)}
        d["onset"][100, 40] = 1
        d["frame"][100:130, 40] = 1
        if with_short:
            d["short"] = np.arange(T + 1, dtype=np.float16)[:, None].repeat(SHORT_BANDS, 1)  # row j = frame j - 1
        return d

    clips = [clip(True), clip(False)]
    b = stack_crops(clips, [50, 10], 120, short=True)
    assert b["short"].shape == (2, 121, SHORT_BANDS)
    assert float(b["short"][0, 0, 0]) == 50 and float(b["short"][0, -1, 0]) == 170  # frames 49 .. 169
    assert b["short_mask"].tolist() == [1.0, 0.0] and np.allclose(b["short"][1].numpy(), np.log(LOG_EPS))
    b = stack_crops(clips, [250, 0], 120, short=True)  # runs past the end: padded with silence
    assert float(b["short"][0, 50, 0]) == 300 and np.allclose(b["short"][0, 51:].numpy(), np.log(LOG_EPS))
    m = _active(24)
    m.train()
    ls = losses(m, stack_crops(clips, [60, 60], 100, short=True), 3.0)
    ls["total"].backward()
    assert float(m.short.out.weight.grad.abs().sum()) > 0 and float(m.short.dense.weight.grad.abs().sum()) > 0


def test_the_branch_is_silent_on_crops_without_short_features():
    m = _active(25)
    mel = torch.randn(2, 40, 229) - 6.0
    short = torch.randn(2, 41, SHORT_BANDS) - 4.0
    with torch.no_grad():
        on = m.logits_trunk(mel, short, torch.tensor([1.0, 0.0]))["onset"]
        torch.nn.init.zeros_(m.short.out.weight)
        torch.nn.init.zeros_(m.short.out.bias)
        torch.nn.init.zeros_(m.short.dense.weight)
        torch.nn.init.zeros_(m.short.dense.bias)
        off = m.logits_trunk(mel, short)["onset"]
    assert torch.allclose(on[1], off[1], atol=1e-6) and not torch.allclose(on[0], off[0], atol=1e-3)


def test_export_keeps_the_step_interface_and_records_the_branch(tmp_path):
    import onnxruntime as ort

    from export import HEADS, export_onnx, run_offline, run_streaming, state_specs
    from gpu_finetune import snapshot
    m = _active(26)
    plain = build_model(CONTRAST_ARCH)
    assert state_specs(m) == state_specs(plain)  # no new streaming state
    offline, step = export_onnx(m, str(tmp_path))
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(offline, so, providers=["CPUExecutionProvider"])
    step_sess = ort.InferenceSession(step, so, providers=["CPUExecutionProvider"])
    assert [i.name for i in step_sess.get_inputs()] == ["audio", "audio_ctx", "conv1_cache", "conv2_cache", "gru_state"]
    assert step_sess.get_inputs()[1].shape == [1, CONTEXT_SAMPLES]
    audio = (np.random.default_rng(3).standard_normal(30 * HOP) * 0.1).astype(np.float32)
    with torch.no_grad():
        ref = dict(zip(HEADS, [t[0].numpy() for t in m(torch.from_numpy(audio)[None])]))
    off = run_offline(sess, audio)
    for hops in (1, 4):
        st = run_streaming(step_sess, audio, state_specs(m), hops)
        assert max(float(np.abs(st[h] - off[h]).max()) for h in HEADS) < 1e-4
    assert max(float(np.abs(off[h] - ref[h]).max()) for h in HEADS) < 1e-4
    # the checkpoint a grown run writes names the branch, and loads back into it
    src = {"model": {}, "arch": CONTRAST_ARCH, "step": 5}
    path = str(tmp_path / "snap.pt")
    snapshot(path, src, m.state_dict(), {"steps": 1, "seconds": 1.0}, m.arch)
    ck = torch.load(path, map_location="cpu", weights_only=False)
    assert ck["arch"]["short_onset"] is True
    again = build_model(ck["arch"])
    again.load_state_dict(ck["model"])
    assert again.short is not None
