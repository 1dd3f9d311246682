"""Re-render the validation split's audio (work/data/val caches log-mel only) by replaying
synth/build_dataset.py's build_eval with the seeds it was built with, and keep each clip's audio only
where its log-mel reproduces the cached one: the short-window onset branch (model.ShortOnset) reads
audio the caches do not hold.

  .venv/bin/python short_val_audio.py --out work/short-onset/val-audio

Writes <out>/<clip id>.npy (float32, 16 kHz); prints the log-mel agreement of every clip. Nothing
under work/data is touched."""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import logmel_numpy  # noqa: E402
from synth import build_dataset, render  # noqa: E402

VAL = os.path.join(HERE, "work", "data", "val")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "work", "short-onset", "val-audio"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    bad = []

    def capture(split, cid, audio, perf, scale, meta, keep_wav=False):
        assert split == "val"
        with np.load(os.path.join(VAL, f"{cid}.npz")) as z:
            cached = z["mel"].astype(np.float32)
        mel = logmel_numpy(audio).astype(np.float16).astype(np.float32)
        err = float(np.abs(mel - cached).max()) if mel.shape == cached.shape else float("inf")
        ok = err < 0.05
        print(f"{cid}: frames {len(mel)} / {len(cached)}, log-mel max abs diff {err:.4f} {'ok' if ok else 'MISMATCH'}",
              flush=True)
        if ok:
            np.save(os.path.join(args.out, f"{cid}.npy"), audio.astype(np.float32))
        else:
            bad.append(cid)
        return len(audio) / 16000

    build_dataset.save_clip = capture
    # as built: the soundfont music in one call (default timbres of the time), then the Salamander's
    # music, then the isolated notes through all four training timbres; seed 1 each
    build_dataset.build_eval("val", 1, render.SOUNDFONT_TIMBRES)
    build_dataset.build_eval("val", 1, ["salamander"])
    build_dataset.build_eval("val-singles", 1, render.TRAIN_TIMBRES)
    print(f"done; mismatched: {bad}", flush=True)


if __name__ == "__main__":
    main()
