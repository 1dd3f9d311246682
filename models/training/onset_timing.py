"""When does the onset posterior first answer? For every labelled onset of the validation clips, the
first output frame (raw model output, the output delay NOT undone) within [-2, +6] frames of the
labelled frame at which the key's onset posterior reaches the threshold; the share of the notes it
reaches at each offset. A model trained at output delay d answers "on time" at +d.

  SEMINOTE_OUTPUT_DELAY_FRAMES=1 .venv/bin/python onset_timing.py CKPT [CKPT ...] [--threshold 0.5]

(The stop-15 figures in docs/live-audio.md count the same way: +1 / +2 / +3 frames after the label.)"""
from __future__ import annotations

import argparse
import glob
import os

import numpy as np
import torch

from model import build_model
from validate import VAL_DIR, _load

OFFSETS = range(-2, 7)


def first_crossings(model, threshold: float) -> tuple[dict[int, int], int]:
    clips = _load()
    paths = sorted(glob.glob(os.path.join(VAL_DIR, "*.npz")))
    counts = {o: 0 for o in OFFSETS}
    total = 0
    for clip, path in zip(clips, paths):
        with np.load(path) as z:
            labels = z["onset"]
        short = clip.get("short")
        with torch.no_grad():
            lg = model.logits_trunk(torch.from_numpy(clip["mel"])[None],
                                    None if short is None or model.short is None else torch.from_numpy(short)[None])
        post = torch.sigmoid(lg["onset"])[0].numpy()
        T = len(post)
        for f, k in zip(*np.nonzero(labels)):
            total += 1
            for o in OFFSETS:
                j = f + o
                if 0 <= j < T and post[j, k] >= threshold:
                    counts[o] += 1
                    break
    return counts, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("ckpts", nargs="+")
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args()
    torch.set_num_threads(1)
    for path in args.ckpts:
        ck = torch.load(path, map_location="cpu", weights_only=False)
        m = build_model(ck.get("arch"))
        m.load_state_dict(ck["model"])
        m.eval()
        counts, total = first_crossings(m, args.threshold)
        found = sum(counts.values())
        shares = " ".join(f"{o:+d}:{100 * counts[o] / max(found, 1):.1f}%" for o in OFFSETS)
        print(f"{path} (delay {ck.get('output_delay_frames', 3)}): reaches {args.threshold} for {found} of {total} "
              f"labelled onsets; first frame after the label: {shares}", flush=True)


if __name__ == "__main__":
    main()
