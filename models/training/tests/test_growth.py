"""The 0.3.0 architecture (log-mel bypass, frame head reading the dense features) and growing it from a
0.2.0 checkpoint: the grown model must first compute exactly what the source did, and its streaming
step must still reproduce its offline output once the new weights are no longer zero.

  cd models/training && .venv/bin/python -m pytest -q tests/test_growth.py
"""
from __future__ import annotations

import torch

from common import CONTEXT_SAMPLES, HOP
from model import build_model, grow_state

BYPASS = {"channels": [8, 16], "hidden": 256, "bypass": True}


def _assert_streaming_matches_offline(m: torch.nn.Module, audio: torch.Tensor) -> tuple:
    """Feeds the audio through step() three hops at a time; the outputs must equal the offline pass."""
    frames = audio.shape[1] // HOP
    with torch.no_grad():
        offline = m(audio)
        caches, h = m.zero_state(1)
        state = [torch.zeros(1, CONTEXT_SAMPLES), *caches, h]
        outs = []
        for t in range(0, frames, 3):
            r = m.step(audio[:, t * HOP:min(t + 3, frames) * HOP], *state)
            outs.append(r[:5])
            state = list(r[5:])
    for i in range(5):
        assert torch.allclose(torch.cat([o[i] for o in outs], dim=1), offline[i], atol=1e-5)
    return offline


def _assert_grown_computes_as_source(src: torch.nn.Module, arch: dict, frames: int) -> None:
    """grow_state into `arch`: the grown model's outputs equal the source's."""
    grown = build_model(arch).eval()
    grown.load_state_dict(grow_state(src.state_dict(), grown))
    audio = torch.randn(1, frames * HOP) * 0.1
    with torch.no_grad():
        for a, b in zip(src(audio), grown(audio)):
            assert torch.allclose(a, b, atol=1e-6)


def _perturbed_source() -> torch.nn.Module:
    torch.manual_seed(1)
    src = build_model().eval()
    with torch.no_grad():  # non-trivial BN statistics, so growth has something to preserve
        for m in src.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
    return src


def test_grown_model_starts_as_the_source():
    src = _perturbed_source()
    _assert_grown_computes_as_source(src, BYPASS, frames=60)


def test_grow_refuses_a_tensor_of_other_rank():
    grown = build_model(BYPASS)
    bad = dict(build_model().state_dict())
    bad["fc.weight"] = bad["fc.weight"].flatten()
    try:
        grow_state(bad, grown)
    except ValueError as e:
        assert "fc.weight" in str(e)
    else:
        raise AssertionError("a rank mismatch must be refused")


def test_bypass_streaming_step_reproduces_offline_output():
    torch.manual_seed(0)
    m = build_model(BYPASS).eval()
    with torch.no_grad():
        torch.nn.init.normal_(m.bypass.weight, std=0.05)  # the bypass reads the cached previous frame
    _assert_streaming_matches_offline(m, torch.randn(1, 40 * HOP) * 0.1)


KEYS_ARCH = {**BYPASS, "keys": True}


def test_key_branch_grown_from_bypass_starts_as_the_source():
    torch.manual_seed(2)
    src = build_model(BYPASS).eval()
    with torch.no_grad():
        torch.nn.init.normal_(src.bypass.weight, std=0.05)
    _assert_grown_computes_as_source(src, KEYS_ARCH, frames=50)


def _assert_branch_streams_and_counts(arch: dict, branch: str, seed: int) -> None:
    """With the branch's zero-initialised output made non-zero, streaming still reproduces the
    offline pass, and the branch did change the output it reproduced."""
    torch.manual_seed(seed)
    m = build_model(arch).eval()
    module = getattr(m, branch)
    with torch.no_grad():
        torch.nn.init.normal_(module.out.weight, std=0.5)
        torch.nn.init.normal_(module.key_bias, std=0.5)
    audio = torch.randn(1, 40 * HOP) * 0.1
    offline = _assert_streaming_matches_offline(m, audio)
    with torch.no_grad():
        torch.nn.init.zeros_(module.out.weight)
        assert not torch.allclose(m(audio)[0], offline[0], atol=1e-3)


def test_key_branch_streaming_step_reproduces_offline_output():
    _assert_branch_streams_and_counts(KEYS_ARCH, "keys", seed=3)


def test_partial_gather_reads_the_partials_mel_bins():
    import numpy as np
    from common import F_MAX, F_MIN, N_MELS, PITCH_OFFSET, hz_to_mel
    from model import KEY_PARTIALS, partial_gather
    idx, wts = partial_gather()
    P = len(KEY_PARTIALS)
    mel_pts = np.linspace(hz_to_mel(F_MIN), hz_to_mel(F_MAX), N_MELS + 2)
    centres = mel_pts[1:-1]
    # A2 (110 Hz): its fundamental lies between the two mel bins the gather names, weights sum to 1
    k = 45 - PITCH_OFFSET
    j = k * P + KEY_PARTIALS.index(1.0)
    lo, hi = idx[2 * j], idx[2 * j + 1]
    assert hi == lo + 1 and centres[lo] <= hz_to_mel(110.0) <= centres[hi]
    assert abs(wts[2 * j] + wts[2 * j + 1] - 1.0) < 1e-6
    # A0's fundamental (27.5 Hz) is below the lowest mel bin, C8's 8th partial above the highest: weight 0
    assert wts[2 * KEY_PARTIALS.index(1.0)] == 0 and wts[2 * KEY_PARTIALS.index(1.0) + 1] == 0
    j = 87 * P + KEY_PARTIALS.index(8.0)
    assert wts[2 * j] == 0 and wts[2 * j + 1] == 0


CONTRAST_ARCH = {**KEYS_ARCH, "contrast": True}


def test_contrast_branch_grown_from_keys_starts_as_the_source():
    torch.manual_seed(9)
    src = build_model(KEYS_ARCH).eval()
    with torch.no_grad():
        torch.nn.init.normal_(src.keys.out.weight, std=0.3)
    _assert_grown_computes_as_source(src, CONTRAST_ARCH, frames=45)


def test_contrast_branch_streaming_step_reproduces_offline_output():
    _assert_branch_streams_and_counts(CONTRAST_ARCH, "contrast", seed=10)


def test_contrast_gather_reads_a_quarter_tone_either_side_of_each_partial():
    from model import CONTRAST_CENTS, CONTRAST_PARTIALS, contrast_gather
    from common import F_MAX, F_MIN, N_MELS, hz_to_mel
    import numpy as np
    idx, wts = contrast_gather()
    P, C = len(CONTRAST_PARTIALS), len(CONTRAST_CENTS)
    idx, wts = idx.reshape(88, P, C, 2), wts.reshape(88, P, C, 2)
    mel_pts = np.linspace(hz_to_mel(F_MIN), hz_to_mel(F_MAX), N_MELS + 2)
    centres = mel_pts[1:-1]
    k = 39  # C4 (MIDI 60)
    f0 = 440.0 * 2 ** ((60 - 69) / 12)
    for p, mult in enumerate(CONTRAST_PARTIALS):
        read = [float((centres[idx[k, p, c]] * wts[k, p, c]).sum()) for c in range(C)]
        want = [float(hz_to_mel(f0 * mult * 2 ** (cents / 1200))) for cents in CONTRAST_CENTS]
        assert np.allclose(read, want, atol=1e-3)  # interpolated position = the partial's mel
        assert read[0] < read[1] < read[2]
    assert float(wts[87, -1].sum()) == 0.0  # C8's 12th partial is far above 8 kHz: reads nothing


def test_branch_training_moves_the_new_branch_only():
    from train import losses
    from train_branch import freeze_all_but
    torch.manual_seed(11)
    m = build_model(CONTRAST_ARCH).eval()
    freeze_all_but(m, "contrast")
    T = 30
    b = {k: torch.zeros(2, T, 88) for k in ("onset", "frame", "offset", "velocity")}
    b["mel"] = torch.randn(2, T, 229) - 6.0
    b["pedal"] = torch.zeros(2, T)
    b["onset"][0, 10, 40] = 1.0
    b["frame"][0, 10:20, 40] = 1.0
    losses(m, b, 8.0)["total"].backward()
    moved = {n for n, p in m.named_parameters() if p.grad is not None and float(p.grad.abs().sum()) > 0}
    assert moved and all(n.startswith("contrast.") for n in moved), moved
