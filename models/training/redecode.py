"""Change a shipped model's decoding constants without re-exporting its weights.

  .venv/bin/python redecode.py --model-dir ../transcription/0.6.0 --why "..." \
      --set frame_onset_max_pitch=40 --set frame_onset_low=0.2 ...

Rewrites manifest.json's `decoding`, re-decodes the reference clip with the model's own posteriors
(reference/reference.json, which the TypeScript parity test compares against), updates the file
hashes and appends a `decoding_revisions` entry (date, what changed, why). The evaluation figures
in the manifest are then stale: run evaluate.py (both held-out timbres) straight after."""
from __future__ import annotations

import argparse
import datetime
import json
import os

import onnxruntime as ort

from decode import DEFAULT_DECODING
from export import reference_clip


def parse_setting(text: str) -> tuple[str, float | int]:
    key, _, value = text.partition("=")
    if key not in DEFAULT_DECODING:
        raise SystemExit(f"unknown decoding key {key!r} (known: {', '.join(DEFAULT_DECODING)})")
    number = float(value)
    return key, int(number) if number.is_integer() and isinstance(DEFAULT_DECODING[key], int) else number


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", required=True)
    ap.add_argument("--why", required=True, help="one line for decoding_revisions: what picked these values")
    args = ap.parse_args()
    path = os.path.join(args.model_dir, "manifest.json")
    manifest = json.load(open(path))
    changes = dict(parse_setting(s) for s in args.set)
    before = {k: manifest["decoding"].get(k) for k in changes}
    manifest["decoding"] = {**manifest["decoding"], **changes}
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(args.model_dir, "model.onnx"), so, providers=["CPUExecutionProvider"])
    step = ort.InferenceSession(os.path.join(args.model_dir, "step.onnx"), so, providers=["CPUExecutionProvider"])
    hashes = reference_clip(args.model_dir, sess, step, manifest["step_model"]["state"], manifest["decoding"])
    manifest["files"]["reference/clip.wav"] = hashes["clip"]
    manifest["files"]["reference/reference.json"] = hashes["reference"]
    manifest.setdefault("decoding_revisions", []).append({
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "changed": {k: {"from": before[k], "to": v} for k, v in changes.items()},
        "why": args.why,
    })
    with open(path, "w") as f:
        json.dump(manifest, f, indent=2)
    print(json.dumps(manifest["decoding_revisions"][-1], indent=1))


if __name__ == "__main__":
    main()
