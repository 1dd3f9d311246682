"""Evaluate an exported model on a held-out test set through onnxruntime (in-graph front end).

  .venv/bin/python evaluate.py --model-dir ../transcription/0.1.0 [--stream-clips 8]
  .venv/bin/python evaluate.py --model-dir ../transcription/0.6.0 --held-out csound   # second timbre

Test set: MIDI never trained on (nasap Scriabin/Debussy/Brahms/Glinka + vienna4x22) rendered through
a held-out timbre, dry and with a fixed room + noise (RT60 0.8 s, 20 dB SNR); plus isolated single
notes (every key at velocities 30/70/110). --held-out picks the timbre, i.e. the test set (the same
clips and ids in each; built by `python -m synth.build_dataset --split test [--held-out NAME]`):
  freepats (default)  timidity + freepats            work/data/test
  csound              FluidSynth + sf_GMbank.sf2     work/data/test_csound
Ground-truth offsets are extended by the sustain pedal, and so are the estimates, by the decoded
pedal (the "sounding notes" of docs/transcription-decoding.md §4; docs/metrics.md asks for both).
Metrics are mir_eval's, averaged per clip. Writes the figures into the manifest and to
work/eval/: freepats under the manifest's "evaluation" and work/eval/<version>.json, any other
held-out timbre under "evaluation_<timbre>" and work/eval/<version>_<timbre>.json, so a second
timbre's run never replaces the first's figures."""
from __future__ import annotations

import argparse
import glob
import json
import os
import time

import numpy as np
import onnxruntime as ort
import soundfile as sf

from common import undelay_posteriors
from decode import decode_offline, decode_pedal, decode_streaming, sounding_notes
from export import HEADS, run_offline, run_streaming, sha256
from metrics import frame_metrics, note_metrics, notes_to_roll
from synth.build_dataset import held_out_split
from synth.render import HELD_OUT_TIMBRE, HELD_OUT_TIMBRES

HERE = os.path.dirname(os.path.abspath(__file__))
# how each held-out timbre is rendered, for the figures' description
HELD_OUT_DESCRIPTIONS = {
    "freepats": "timidity + freepats",
    "csound": "FluidSynth + sf_GMbank.sf2 'GM GS Bank' piano (Debian csound-soundfont, EMU8000 bank, public "
              "domain), reverb/chorus off",
}
REGISTERS = {"low A0-B2": (21, 47), "mid C3-B4": (48, 71), "high C5-C8": (72, 108)}
POLY_BUCKETS = [(1, 1), (2, 3), (4, 6), (7, 99)]


def polyphony_at_onsets(ref: np.ndarray) -> np.ndarray:
    on, off = ref[:, 0], ref[:, 1]
    return np.array([int(((on <= t + 1e-9) & (off > t)).sum()) for t in on])


def onset_recall_by_polyphony(ref: np.ndarray, est: list[dict], tol: float = 0.05) -> dict[str, tuple[int, int]]:
    poly = polyphony_at_onsets(ref)
    est_by_pitch: dict[int, list[float]] = {}
    for n in est:
        est_by_pitch.setdefault(n["pitch"], []).append(n["onset_s"])
    out = {}
    for lo, hi in POLY_BUCKETS:
        sel = (poly >= lo) & (poly <= hi)
        hit = sum(1 for r in ref[sel] if any(abs(e - r[0]) <= tol for e in est_by_pitch.get(int(r[2]), [])))
        out[f"{lo}" if lo == hi else (f"{lo}-{hi}" if hi < 99 else f"{lo}+")] = (hit, int(sel.sum()))
    return out


def mean(xs):
    return float(np.mean(xs)) if xs else None


def test_dir(held_out: str) -> str:
    return os.path.join(HERE, "work", "data", held_out_split(held_out))


def result_keys(held_out: str, version: str) -> tuple[str, str]:
    """(manifest key, work/eval file name) for a held-out timbre's figures."""
    if held_out == HELD_OUT_TIMBRE:
        return "evaluation", f"{version}.json"
    return f"evaluation_{held_out}", f"{version}_{held_out}.json"


def evaluate(model_dir: str, stream_clips: int, limit: int = 0, held_out: str = HELD_OUT_TIMBRE) -> dict:
    test = test_dir(held_out)
    if not glob.glob(os.path.join(test, "*.npz")):
        raise SystemExit(f"no test clips in {test}: run python -m synth.build_dataset --split test --held-out {held_out}")
    manifest = json.load(open(os.path.join(model_dir, "manifest.json")))
    dec = manifest["decoding"]
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), so, providers=["CPUExecutionProvider"])
    step = ort.InferenceSession(os.path.join(model_dir, "step.onnx"), so, providers=["CPUExecutionProvider"])
    specs = manifest["step_model"]["state"]
    groups: dict[str, dict[str, list]] = {}
    reg: dict[str, dict[str, list]] = {}
    poly: dict[str, dict[str, list[int]]] = {}
    stream_pairs: list[tuple[float, float]] = []
    audio_s, infer_s = 0.0, 0.0
    files = sorted(glob.glob(os.path.join(test, "*.npz")))
    if limit:
        files = files[::max(1, len(files) // limit)][:limit]
    for i, path in enumerate(files):
        name = os.path.basename(path)[:-4]
        group, cond = name.split("_")[0], name.split("_")[1]
        key = f"{group}/{cond}"
        with np.load(path) as z:
            ref = z["notes"].astype(np.float64)
        audio, _ = sf.read(os.path.join(test, "wav", name + ".wav"), dtype="float32")
        t0 = time.time()
        post = run_offline(sess, audio)
        infer_s += time.time() - t0
        audio_s += len(audio) / 16000
        est = decode_offline(post, dec)
        # Pedal-extended estimates against pedal-extended references (before 2026-11-27 the raw
        # decoded notes were compared with extended references: with-offset F1 0.154 on dry music).
        sounding = sounding_notes(est, decode_pedal(post["pedal"], dec))
        m = note_metrics(ref, sounding)
        m["unextended_onset_offset_f1"] = note_metrics(ref, est)["onset_offset_f1"]
        T = len(post["onset"])
        ref_roll = notes_to_roll([{"pitch": int(r[2]), "onset_s": r[0], "offset_s": r[1]} for r in ref], T)
        aligned = undelay_posteriors(post, manifest.get("output_delay_frames", 0))
        m.update(frame_metrics(ref_roll, aligned["frame"] >= dec["frame_threshold"]))
        m["note_frame_f1"] = frame_metrics(ref_roll, notes_to_roll(sounding, T))["frame_f1"]
        for k, v in m.items():
            groups.setdefault(key, {}).setdefault(k, []).append(v)
        if group == "music":
            for rname, (lo, hi) in REGISTERS.items():
                r_sel = ref[(ref[:, 2] >= lo) & (ref[:, 2] <= hi)]
                e_sel = [n for n in est if lo <= n["pitch"] <= hi]
                if len(r_sel):
                    reg.setdefault(f"{cond}", {}).setdefault(rname, []).append(note_metrics(r_sel, e_sel)["onset_f1"])
            for b, (hit, n) in onset_recall_by_polyphony(ref, est).items():
                acc = poly.setdefault(cond, {}).setdefault(b, [0, 0])
                acc[0] += hit
                acc[1] += n
            if cond == "dry" and len(stream_pairs) < stream_clips:
                st = run_streaming(step, audio, specs, 1)
                st_notes = decode_streaming(st, dec)
                stream_pairs.append((m["onset_f1"], note_metrics(ref, st_notes)["onset_f1"]))
        print(f"[{i + 1}/{len(files)}] {name}: onset F1 {m['onset_f1']:.3f}", flush=True)
    res = {
        "test_set": "held-out MIDI (nasap Scriabin, Debussy, Brahms, Glinka; vienna4x22 Chopin, Schubert, Mozart K331) "
                    f"and isolated single notes, rendered through the held-out timbre ({HELD_OUT_DESCRIPTIONS[held_out]}); "
                    "15 s clips; 'room' = synthetic room IR RT60 0.8 s + noise at 20 dB SNR",
        "held_out_timbre": held_out,
        "conventions": "mir_eval defaults (onset 50 ms; offset 20 % or 50 ms; velocity 0.1 after rescaling); "
                       "ground-truth offsets extended by the sustain pedal, estimated offsets by the decoded pedal "
                       "(sounding notes; unextended_onset_offset_f1 without); frame_f1 from frame posteriors >= "
                       "frame_threshold, note_frame_f1 from the sounding notes; mean over clips",
        "decoding": dec,
        "by_condition": {k: {m: round(mean(v), 4) for m, v in d.items() if m.endswith("f1") or m.endswith("_p") or m.endswith("_r")}
                         | {"clips": len(d["onset_f1"])} for k, d in groups.items()},
        "onset_f1_by_register": {c: {r: round(mean(v), 4) for r, v in d.items()} for c, d in reg.items()},
        "onset_recall_by_polyphony_at_onset": {c: {b: {"recall": round(h / n, 4) if n else None, "notes": n}
                                                   for b, (h, n) in d.items()} for c, d in poly.items()},
        "streaming_vs_offline_onset_f1": {"clips": len(stream_pairs), "offline": round(mean([a for a, _ in stream_pairs]), 4) if stream_pairs else None,
                                          "streaming": round(mean([b for _, b in stream_pairs]), 4) if stream_pairs else None},
        "speed": {"audio_s": round(audio_s, 1), "onnxruntime_offline_s": round(infer_s, 1),
                  "real_time_factor_1_thread_shared_cpu": round(audio_s / max(infer_s, 1e-9), 1)},
        "subset": f"smoke test on {len(files)} clips only" if limit else "full test set",
        "model_sha256": sha256(os.path.join(model_dir, "model.onnx")),
        "command": f"cd models/training && .venv/bin/python evaluate.py --model-dir ../transcription/{manifest['version']}"
                   + (f" --held-out {held_out}" if held_out != HELD_OUT_TIMBRE else ""),
    }
    key, out_name = result_keys(held_out, manifest["version"])
    manifest[key] = res
    with open(os.path.join(model_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    os.makedirs(os.path.join(HERE, "work", "eval"), exist_ok=True)
    with open(os.path.join(HERE, "work", "eval", out_name), "w") as f:
        json.dump(res, f, indent=2)
    return res


def markdown(res: dict) -> str:
    """The figures as a markdown table, for docs/transcription-model.md."""
    lines = ["| set / condition | clips | onset P | onset R | onset F1 | + offset F1 | + offset F1, unextended estimates "
             "| + offset + velocity F1 | frame F1 (posteriors) | frame F1 (sounding notes) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for k, d in sorted(res["by_condition"].items()):
        lines.append(f"| {k} | {d['clips']} | {d['onset_p']:.3f} | {d['onset_r']:.3f} | {d['onset_f1']:.3f} | "
                     f"{d['onset_offset_f1']:.3f} | {d['unextended_onset_offset_f1']:.3f} | "
                     f"{d['onset_offset_velocity_f1']:.3f} | {d['frame_f1']:.3f} | {d['note_frame_f1']:.3f} |")
    lines.append("")
    lines.append("| onset F1 by register (music) | " + " | ".join(next(iter(res["onset_f1_by_register"].values()), {}).keys()) + " |")
    lines.append("|---|" + "---|" * len(next(iter(res["onset_f1_by_register"].values()), {})))
    for c, d in res["onset_f1_by_register"].items():
        lines.append(f"| {c} | " + " | ".join(f"{v:.3f}" for v in d.values()) + " |")
    lines.append("")
    lines.append("| onset recall by polyphony at the onset (music, pedal-extended) | " +
                 " | ".join(next(iter(res["onset_recall_by_polyphony_at_onset"].values()), {}).keys()) + " |")
    lines.append("|---|" + "---|" * len(next(iter(res["onset_recall_by_polyphony_at_onset"].values()), {})))
    for c, d in res["onset_recall_by_polyphony_at_onset"].items():
        lines.append(f"| {c} | " + " | ".join(f"{v['recall']:.3f} ({v['notes']})" if v["recall"] is not None else "-"
                                              for v in d.values()) + " |")
    s = res["streaming_vs_offline_onset_f1"]
    lines.append("")
    lines.append(f"Streaming (step.onnx, 1 hop per call, streaming decoder) vs offline onset F1 on {s['clips']} dry "
                 f"music clips: {s['streaming']} vs {s['offline']}. Offline speed: {res['speed']['real_time_factor_1_thread_shared_cpu']}x "
                 f"real time (onnxruntime, 1 thread, shared machine).")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--stream-clips", type=int, default=6)
    ap.add_argument("--limit", type=int, default=0, help="evaluate only this many clips (spread over the set), for smoke tests")
    ap.add_argument("--held-out", default=HELD_OUT_TIMBRE, choices=HELD_OUT_TIMBRES,
                    help=f"the held-out timbre whose test set to use (default {HELD_OUT_TIMBRE}: work/data/test)")
    args = ap.parse_args()
    res = evaluate(args.model_dir, args.stream_clips, args.limit, args.held_out)
    print(json.dumps(res, indent=1))
    print(markdown(res))


if __name__ == "__main__":
    main()
