"""Run the Transkun V2 peer (its PyPI package and bundled checkpoint) on selected test clips.

Runs inside the peer's own venv (never shipped, never in git):
  python3 -m venv /work/venvs/transkun
  /work/venvs/transkun/bin/pip install "torch==2.11.0" "torchaudio==2.11.0" "setuptools<81" transkun==2.0.1 soundfile
It is normally started by compare_transkun.py; by hand:
  /work/venvs/transkun/bin/python transkun_run.py --test-dir ../work/data/test --out-dir ../work/peers/transkun --per-group 6

Audio is read with soundfile (the transkun CLI needs ffprobe, which this machine lacks) and resampled
with soxr exactly as the CLI does. Writes <clip>.mid and timings.json (seconds of CPU wall per clip)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import soundfile as sf
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from subset import select  # noqa: E402


def load_model(threads: int):
    import moduleconf
    import pkg_resources
    import transkun
    from transkun.Data import writeMidi
    torch.set_num_threads(threads)
    weight = pkg_resources.resource_filename(transkun.__name__, "pretrained/2.0.pt")
    conf_path = pkg_resources.resource_filename(transkun.__name__, "pretrained/2.0.conf")
    conf_manager = moduleconf.parseFromFile(conf_path)
    model = conf_manager["Model"].module.TransKun(conf=conf_manager["Model"].config)
    ck = torch.load(weight, map_location="cpu")
    model.load_state_dict(ck.get("best_state_dict", ck.get("state_dict")), strict=False)
    model.eval()
    return model, writeMidi


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--test-dir", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--per-group", type=int, default=6)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    torch.set_grad_enabled(False)
    t0 = time.time()
    model, write_midi = load_model(args.threads)
    timings = {"load_s": time.time() - t0, "clips": {}}
    import soxr
    for name in select(args.test_dir, args.per_group):
        audio, fs = sf.read(os.path.join(args.test_dir, "wav", name + ".wav"), dtype="float32", always_2d=True)
        t = time.time()
        if fs != model.fs:
            audio = soxr.resample(audio, fs, model.fs)
        notes = model.transcribe(torch.from_numpy(np.ascontiguousarray(audio)), discardSecondHalf=False)
        write_midi(notes).write(os.path.join(args.out_dir, name + ".mid"))
        timings["clips"][name] = {"wall_s": time.time() - t, "audio_s": len(audio) / model.fs}
        print(f"{name}: {timings['clips'][name]['wall_s']:.1f} s", flush=True)
    with open(os.path.join(args.out_dir, "timings.json"), "w") as f:
        json.dump(timings, f, indent=1)


if __name__ == "__main__":
    main()
