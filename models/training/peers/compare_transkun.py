"""Our exported model and the Transkun V2 peer on the same held-out test clips, in one run.

  cd models/training && .venv/bin/python peers/compare_transkun.py --model-dir ../transcription/0.2.0 --per-group 2
  cd models/training && .venv/bin/python peers/compare_transkun.py --model-dir ../transcription/0.6.0 --per-group 2 --held-out csound

Runs peers/transkun_run.py in the peer's venv (--transkun-python; see that file for the install),
then scores both systems with the same mir_eval metrics against the same pedal-extended ground truth
(Transkun writes sustain-pedal events; its note offsets are extended by them, as the ground truth's
are). Speed: CPU wall per audio second for each, on whatever share of the machine they got (say so).
--held-out picks the test set as in evaluate.py (default freepats: work/data/test; csound:
work/data/test_csound); the peer's MIDI goes to work/peers/transkun (freepats) or
work/peers/transkun_<timbre>, so --reuse-peer-output never scores one timbre's output against
another's clips. Prints a markdown table and writes work/peers/compare_<version>.json
(compare_<version>_<timbre>.json for a second timbre)."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort
import soundfile as sf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)
from common import extend_by_pedal  # noqa: E402
from decode import decode_offline, decode_pedal, sounding_notes  # noqa: E402
from export import run_offline  # noqa: E402
from metrics import note_metrics  # noqa: E402
from subset import select  # noqa: E402
from synth.build_dataset import held_out_split  # noqa: E402
from synth.midi_io import read_midi  # noqa: E402
from synth.render import HELD_OUT_TIMBRE, HELD_OUT_TIMBRES  # noqa: E402

KEYS = ("onset_f1", "onset_offset_f1", "onset_offset_velocity_f1")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--per-group", type=int, default=2)
    ap.add_argument("--transkun-python", default="/work/venvs/transkun/bin/python")
    ap.add_argument("--threads", type=int, default=1, help="CPU threads for each system")
    ap.add_argument("--reuse-peer-output", action="store_true",
                    help="score the MIDI files transkun_run.py already wrote for these clips instead of running it again")
    ap.add_argument("--held-out", default=HELD_OUT_TIMBRE, choices=HELD_OUT_TIMBRES,
                    help=f"the held-out timbre whose test set to use (default {HELD_OUT_TIMBRE})")
    args = ap.parse_args()
    test_dir = os.path.join(ROOT, "work", "data", held_out_split(args.held_out))
    suffix = "" if args.held_out == HELD_OUT_TIMBRE else f"_{args.held_out}"
    out_dir = os.path.join(ROOT, "work", "peers", "transkun" + suffix)
    names = select(test_dir, args.per_group)
    if not args.reuse_peer_output:
        subprocess.run([args.transkun_python, os.path.join(HERE, "transkun_run.py"), "--test-dir", test_dir,
                        "--out-dir", out_dir, "--per-group", str(args.per_group), "--threads", str(args.threads)], check=True)
    tk_times = json.load(open(os.path.join(out_dir, "timings.json")))

    manifest = json.load(open(os.path.join(args.model_dir, "manifest.json")))
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    sess = ort.InferenceSession(os.path.join(args.model_dir, "model.onnx"), so, providers=["CPUExecutionProvider"])
    rows: dict[str, dict[str, dict[str, list[float]]]] = {}
    ours_s, tk_s, audio_s = 0.0, 0.0, 0.0
    for name in names:
        group = name.rsplit("_", 1)[0].replace("_", "/")
        with np.load(os.path.join(test_dir, name + ".npz")) as z:
            ref = z["notes"].astype(np.float64)
        audio, _ = sf.read(os.path.join(test_dir, "wav", name + ".wav"), dtype="float32")
        t = time.time()
        post = run_offline(sess, audio)
        # Ours extended by our own decoded pedal, as Transkun's notes by its pedal and the reference by the true one.
        ours = sounding_notes(decode_offline(post, manifest["decoding"]), decode_pedal(post["pedal"], manifest["decoding"]))
        ours_s += time.time() - t
        audio_s += len(audio) / 16000
        perf = read_midi(os.path.join(out_dir, name + ".mid"))
        theirs = extend_by_pedal(perf.notes, perf.pedal)
        tk_s += tk_times["clips"][name]["wall_s"]
        for system, est in (("seminote " + manifest["version"], ours), ("transkun 2.0.1", theirs)):
            m = note_metrics(ref, est)
            for k in KEYS:
                rows.setdefault(group, {}).setdefault(system, {}).setdefault(k, []).append(m[k])
        print(f"{name}: ours {note_metrics(ref, ours)['onset_f1']:.3f} transkun {note_metrics(ref, theirs)['onset_f1']:.3f}", flush=True)
    res = {
        "clips": names,
        "by_group": {g: {s: {k: round(float(np.mean(v)), 4) for k, v in d.items()} for s, d in sy.items()} for g, sy in rows.items()},
        "speed_x_real_time": {"seminote": round(audio_s / max(ours_s, 1e-9), 1), "transkun": round(audio_s / max(tk_s, 1e-9), 2)},
        "held_out_timbre": args.held_out,
        "threads": args.threads,
        "peer_output_reused": args.reuse_peer_output,
        "command": f"cd models/training && .venv/bin/python peers/compare_transkun.py --model-dir {args.model_dir} --per-group {args.per_group}"
                   + (f" --held-out {args.held_out}" if suffix else ""),
    }
    os.makedirs(os.path.join(ROOT, "work", "peers"), exist_ok=True)
    with open(os.path.join(ROOT, "work", "peers", f"compare_{manifest['version']}{suffix}.json"), "w") as f:
        json.dump(res, f, indent=1)
    print("| test group | system | onset F1 | + offset F1 | + offset + velocity F1 |\n|---|---|---|---|---|")
    for g, sy in sorted(res["by_group"].items()):
        for s, d in sy.items():
            print(f"| {g} ({len([n for n in names if n.rsplit('_', 1)[0].replace('_', '/') == g])} clips) | {s} | "
                  f"{d['onset_f1']:.3f} | {d['onset_offset_f1']:.3f} | {d['onset_offset_velocity_f1']:.3f} |")
    print(f"speed (x real time, {args.threads} thread(s), shared machine): {res['speed_x_real_time']}")


if __name__ == "__main__":
    main()
