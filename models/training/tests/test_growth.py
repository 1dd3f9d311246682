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
    grown = build_model(BYPASS).eval()
    grown.load_state_dict(grow_state(src.state_dict(), grown))
    audio = torch.randn(1, 60 * HOP) * 0.1
    with torch.no_grad():
        for a, b in zip(src(audio), grown(audio)):
            assert torch.allclose(a, b, atol=1e-6)


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
    audio = torch.randn(1, 40 * HOP) * 0.1
    with torch.no_grad():
        offline = m(audio)
        caches, h = m.zero_state(1)
        state = [torch.zeros(1, CONTEXT_SAMPLES), *caches, h]
        outs = []
        for t in range(0, 40, 3):
            r = m.step(audio[:, t * HOP:min(t + 3, 40) * HOP], *state)
            outs.append(r[:5])
            state = list(r[5:])
    for i in range(5):
        assert torch.allclose(torch.cat([o[i] for o in outs], dim=1), offline[i], atol=1e-5)
