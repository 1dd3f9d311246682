"""Write the frame-rise decoder fixture the TypeScript tests compare against.

  .venv/bin/python make_decoder_fixture.py --post-dir work/diag/post-0.6.0/val \
      --out ../../src/core/transcription/fixtures/frame-rise-parity.json

The parity clip beside the model (reference/, export.py) has no bass note that only the frame
head hears, so it does not exercise §3.1c. This takes 3 s windows of real 0.6.0 posteriors from
validation clips where the rule fires (posteriors cached by running model.onnx on the clips),
keeps keys A0..C4 (the rule's keys and every key its harmonic suppression can relate to them; the
others are zero on both sides), quantises them to k/250 stored as bytes, and writes what decode.py
makes of exactly those values, offline and streaming, with the shipped decoding."""
from __future__ import annotations

import argparse
import base64
import json
import os

import numpy as np

from decode import decode_offline, decode_streaming

HEADS = ("onset", "frame", "offset", "velocity")
KEYS = 40  # A0..C4
SCALE = 250
WINDOWS = [("val_single_fluidr3_001", 700), ("val_timgm6mb_009", 150), ("val_fluidr3_007", 1200)]
FRAMES = 300


def quantised(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * SCALE), 0, SCALE).astype(np.uint8)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--post-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--manifest", default=os.path.join(os.path.dirname(__file__), "..", "transcription", "0.6.0", "manifest.json"))
    args = ap.parse_args()
    decoding = json.load(open(args.manifest))["decoding"]
    cases = []
    for name, start in WINDOWS:
        with np.load(os.path.join(args.post_dir, name + ".npz")) as z:
            q = {h: quantised(z[h][start:start + FRAMES, :KEYS].astype(np.float64)) for h in HEADS}
        # Exactly the numbers the TS side will hold: k / 250 in double, stored in a Float32Array.
        post = {h: np.zeros((FRAMES, 88)) for h in HEADS}
        for h in HEADS:
            post[h][:, :KEYS] = (q[h] / SCALE).astype(np.float32).astype(np.float64)
        post["pedal"] = np.zeros(FRAMES)
        cases.append({
            "source": f"{name} frames {start}..{start + FRAMES}",
            "heads": {h: base64.b64encode(q[h].tobytes()).decode() for h in HEADS},
            "notes": decode_offline(post, decoding),
            "streaming_notes": decode_streaming(post, decoding),
        })
    fixture = {"about": __doc__.split("\n\n")[-1].replace("\n", " "), "keys": KEYS, "frames": FRAMES, "scale": SCALE,
               "decoding": decoding, "cases": cases}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print({c["source"]: (len(c["notes"]), len(c["streaming_notes"])) for c in cases})


if __name__ == "__main__":
    main()
