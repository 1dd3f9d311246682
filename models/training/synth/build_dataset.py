"""Render labelled training/validation/test data and cache log-mel features.

  python -m synth.build_dataset --split train --rounds 40 --seed 1   # appends shards
  python -m synth.build_dataset --split train --rounds 20 --seed 2 --timbres salamander
  python -m synth.build_dataset --split val
  python -m synth.build_dataset --split val --timbres salamander     # adds the sampler's validation music
  python -m synth.build_dataset --split val-singles                  # isolated notes, all training timbres
  python -m synth.build_dataset --split test                         # held-out freepats -> work/data/test
  python -m synth.build_dataset --split test --held-out csound       # same clips, csound -> work/data/test_csound

Each clip is saved as work/data/<split>/<id>.npz: mel [T, 229] float16, short [T + 1, 48] float16
(short-window log band power, from the clips built after the short-onset branch), onset/frame/offset/velocity
[T, 88] uint8, pedal [T] uint8, notes [N, 4] (pedal-extended, used for evaluation), notes_raw, meta.
Test clips also keep their wav (for the ONNX path and for peer systems). Every held-out timbre
(render.HELD_OUT_TIMBRES) renders the same MIDI segments and single notes under the same clip ids, with
the same room + noise, into its own directory (held_out_split); training and validation refuse them
(check_train_timbres)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import soundfile as sf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common import SAMPLE_RATE, extend_by_pedal, logmel_numpy, make_labels, num_frames, short_numpy  # noqa: E402
from synth import augment_audio, augment_midi, procedural, render, sources  # noqa: E402
from synth.midi_io import Performance, read_midi  # noqa: E402

WORK = os.path.join(os.path.dirname(__file__), "..", "work", "data")


def save_clip(split: str, cid: str, audio: np.ndarray, perf: Performance, scale: float, meta: dict,
              keep_wav: bool = False) -> float:
    notes_raw = perf.notes.copy()
    notes_raw[:, :2] *= scale
    pedal = [(s * scale, e * scale) for s, e in perf.pedal]
    notes = extend_by_pedal(notes_raw, pedal)
    mel = logmel_numpy(audio)
    labels = make_labels(notes, pedal, num_frames(len(audio)))
    out = os.path.join(WORK, split)
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, f".{cid}.tmp.npz")
    # short: the short-onset branch's short-window features ([T + 1, SHORT_BANDS], model.ShortOnset)
    np.savez_compressed(tmp, mel=mel.astype(np.float16), short=short_numpy(audio).astype(np.float16),
                        notes=notes.astype(np.float32),
                        notes_raw=notes_raw.astype(np.float32), pedal_intervals=np.array(pedal, np.float32).reshape(-1, 2),
                        meta=json.dumps(meta), **labels)
    os.replace(tmp, os.path.join(out, f"{cid}.npz"))  # atomic: the trainer may be scanning
    if keep_wav:
        os.makedirs(os.path.join(out, "wav"), exist_ok=True)
        sf.write(os.path.join(out, "wav", f"{cid}.wav"), audio, SAMPLE_RATE, subtype="FLOAT")
    return len(audio) / SAMPLE_RATE


def check_train_timbres(timbres: list[str]) -> None:
    """Training and validation may use only training timbres: a held-out timbre there would leak the
    test sets' sound into model choice."""
    bad = [t for t in timbres if t not in render.TRAIN_TIMBRES or t in render.HELD_OUT_TIMBRES]
    if bad or not timbres:
        raise ValueError(f"timbres {','.join(bad) or 'none given'} not among {','.join(render.TRAIN_TIMBRES)} "
                         f"({','.join(render.HELD_OUT_TIMBRES)} are held out for the test sets)")


def held_out_split(held_out: str) -> str:
    """The test split directory of a held-out timbre: 'test' for freepats (the first test set), else
    'test_<timbre>'."""
    if held_out not in render.HELD_OUT_TIMBRES:
        raise ValueError(f"{held_out} is not a held-out timbre ({','.join(render.HELD_OUT_TIMBRES)})")
    return "test" if held_out == render.HELD_OUT_TIMBRE else f"test_{held_out}"


def random_segment(perf: Performance, rng, lo=10.0, hi=20.0) -> Performance:
    dur = float(rng.uniform(lo, hi))
    start = float(rng.uniform(0, max(0.0, perf.duration - dur)))
    return perf.segment(start, start + dur)


def clip_prefix(seed: int, timbres: list[str]) -> str:
    """Clip ids: 's<seed>r..' for the default rotation, 's<seed>-<timbres>-r..' otherwise, so runs with
    different timbre lists never share an id (save_clip would silently replace a clip)."""
    if timbres == render.TRAIN_TIMBRES:
        return f"s{seed}"
    return f"s{seed}-{'-'.join(timbres)}-"


def build_train(rounds: int, seed: int, timbres: list[str], per_round: int = 24) -> None:
    check_train_timbres(timbres)
    prefix = clip_prefix(seed, timbres)
    taken = os.path.join(WORK, "train", f"{prefix}r0000c00.npz")
    if os.path.exists(taken):
        raise SystemExit(f"{taken} exists: seed {seed} with timbres {','.join(timbres)} was built already; "
                         f"pick a new --seed")
    rng = np.random.default_rng(seed)
    perfs = [read_midi(f) for f in sources.train_files()]
    perfs = [p for p in perfs if len(p.notes) > 20]
    weights = np.array([p.duration for p in perfs])
    weights /= weights.sum()
    total = 0.0
    t0 = time.time()
    for r in range(rounds):
        timbre = timbres[(seed * 7 + r) % len(timbres)]
        program = int(rng.choice(render.TIMBRES[timbre][2]))
        segs, kinds = [], []
        for _ in range(per_round):
            if rng.random() < 0.5:
                seg = random_segment(perfs[int(rng.choice(len(perfs), p=weights))], rng)
                kinds.append("performance")
            else:
                seg = procedural.generate(rng, float(rng.uniform(10, 20)))
                kinds.append("procedural")
            seg = augment_midi.augment(seg, rng)
            if len(seg.notes) == 0:
                seg = procedural.generate(rng, 12.0)
            segs.append(seg)
        try:
            clips = render.render_batch(segs, timbre, program, seed=seed * 100003 + r)
        except RuntimeError as e:  # a synthesiser crash costs one round, not the whole build
            print(f"round {r + 1}: {e}", flush=True)
            continue
        for i, (clip, seg, kind) in enumerate(zip(clips, segs, kinds)):
            strength = "dry" if rng.random() < 0.3 else "full"
            audio, scale, info = augment_audio.augment(clip, rng, strength)
            meta = {"source": kind, "timbre": timbre, "program": program, **info}
            total += save_clip("train", f"{prefix}r{r:04d}c{i:02d}", audio, seg, scale, meta)
        print(f"round {r + 1}/{rounds} timbre={timbre} audio={total / 3600:.2f} h elapsed={time.time() - t0:.0f}s",
              flush=True)


def fixed_segments(files: list[str], n_per_file: int, dur: float) -> list[tuple[str, Performance]]:
    out = []
    for f in files:
        perf = read_midi(f)
        for k in range(n_per_file):
            start = 5.0 + k * (dur + 30.0)
            if start + dur > perf.duration:
                break
            seg = perf.segment(start, start + dur)
            if len(seg.notes):
                out.append((os.path.relpath(f, sources.DATA) + f"@{start:.0f}s", seg))
    return out


def single_notes(rng) -> list[tuple[str, Performance]]:
    """Isolated notes: every key at three velocities, one sounding at a time."""
    out = []
    for v_i, vel in enumerate([30, 70, 110]):
        notes, t = [], 0.5
        for p in range(21, 109):
            dur = float(rng.uniform(0.3, 1.0))
            notes.append((t, t + dur, p, vel))
            t += dur + 0.6
        perf = Performance(np.array(notes, np.float64), [])
        for k in range(0, int(perf.duration), 15):
            seg = perf.segment(k, k + 15.0)
            if len(seg.notes):
                out.append((f"single_notes_v{vel}@{k}s", seg))
    return out


def held_out_items(seed: int) -> list[tuple[str, list[tuple[str, Performance]]]]:
    """The test sets' clips, the same for every held-out timbre: (group, [(source, segment)])."""
    rng = np.random.default_rng(seed)
    return [("music", fixed_segments(sources.test_files(), 2, 15.0)), ("single", single_notes(rng))]


def build_test(seed: int, held_out: str) -> None:
    split = held_out_split(held_out)
    for group, items in held_out_items(seed):
        clips = render.render_batch([s for _, s in items], held_out, render.TIMBRES[held_out][2][0])
        for j, ((name, seg), clip) in enumerate(zip(items, clips)):
            peak = np.abs(clip).max() + 1e-9
            dry = (clip / peak * 0.5).astype(np.float32)
            save_clip(split, f"{group}_dry_{j:03d}", dry, seg, 1.0,
                      {"source": name, "timbre": held_out, "condition": "dry", "group": group},
                      keep_wav=True)
            # fixed room + noise condition: RT60 0.8 s, 20 dB SNR, seeded per clip
            wet = augment_audio.room_and_noise(dry.astype(np.float64), np.random.default_rng(1000 + j),
                                               snr_db=20.0, rt60=0.8)
            wet = (wet / (np.abs(wet).max() + 1e-9) * 0.5).astype(np.float32)
            save_clip(split, f"{group}_room_{j:03d}", wet, seg, 1.0,
                      {"source": name, "timbre": held_out, "condition": "room+noise 0.8s/20dB",
                       "group": group}, keep_wav=True)


def build_eval(split: str, seed: int, timbres: list[str]) -> None:
    """Validation splits (training timbres only)."""
    check_train_timbres(timbres)
    rng = np.random.default_rng(seed)
    if split == "val":
        segs = fixed_segments(sources.val_files(), 2, 15.0)
        for timbre in timbres:
            # each soundfont keeps its own third of the segments (ids stay stable as timbres are added);
            # the recorded piano plays every second segment
            sf_list = render.SOUNDFONT_TIMBRES
            part = segs[sf_list.index(timbre)::len(sf_list)] if timbre in sf_list else segs[::2]
            clips = render.render_batch([s for _, s in part], timbre, 0, seed=seed)
            for j, ((name, seg), clip) in enumerate(zip(part, clips)):
                audio, scale, info = augment_audio.augment(clip, rng, "full" if j % 2 else "dry")
                save_clip("val", f"val_{timbre}_{j:03d}", audio, seg, scale,
                          {"source": name, "timbre": timbre, **info})
        return
    if split == "val-singles":
        # Isolated notes through the training timbres, so that validation (snapshot choice, export's
        # decoding constants) also sees what the test's single-note group measures. Each timbre plays
        # every 8th 15 s segment of its own (3 clips; 12 in all, beside 54 music clips).
        singles = single_notes(np.random.default_rng(seed + 1))
        for i, timbre in enumerate(timbres):
            part = singles[render.TRAIN_TIMBRES.index(timbre)::8]
            clips = render.render_batch([s for _, s in part], timbre, 0, seed=seed)
            for j, ((name, seg), clip) in enumerate(zip(part, clips)):
                audio, scale, info = augment_audio.augment(clip, rng, "full" if j % 2 else "dry")
                save_clip("val", f"val_single_{timbre}_{j:03d}", audio, seg, scale,
                          {"source": name, "timbre": timbre, "group": "single", **info})
        return
    raise ValueError(f"unknown split {split}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["train", "val", "val-singles", "test"], required=True)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timbres", default=",".join(render.TRAIN_TIMBRES),
                    help=f"comma-separated, train/val only (default: {','.join(render.TRAIN_TIMBRES)})")
    ap.add_argument("--held-out", default=render.HELD_OUT_TIMBRE, choices=render.HELD_OUT_TIMBRES,
                    help=f"test only: the held-out timbre (default {render.HELD_OUT_TIMBRE} -> work/data/test; "
                         f"others -> work/data/test_<timbre>)")
    args = ap.parse_args()
    if args.split == "test":
        build_test(args.seed, args.held_out)
        return
    timbres = [t for t in args.timbres.split(",") if t]
    try:
        check_train_timbres(timbres)
    except ValueError as e:
        ap.error(f"--timbres: {e}")
    if args.split == "train":
        build_train(args.rounds, args.seed, timbres)
    else:
        build_eval(args.split, args.seed, timbres)


if __name__ == "__main__":
    main()
