"""Pack what gpu_finetune.py needs into one folder small enough to travel to a GPU machine.

  .venv/bin/python gpu_pack.py --out work/gpu [--rehearsal-mb 11]

A lent GPU machine receives the repository plus at most a few tens of MB, has PyTorch and numpy but no
FluidSynth, soundfile or mido, and cannot reach the internet. So the fine-tune renders its fresh audio
there with the pure-numpy Salamander sampler (synth/sampler.py), and this script packs:
  salamander.xz  8 of the 16 velocity layers (the others are filled from the nearest kept layer on
                 unpacking), block-floating-point int8 (256-sample blocks, ~48 dB below each block's
                 peak), the key-release noises as float16, the cache index;
  perfs.xz       the training split's performance MIDI, parsed (synth.midi_io.Performance objects);
  rehearsal.xz   a random sample of already-rendered soundfont-timbre training clips (log-mel
                 quantised to 0.08 steps, labels as uint8), replayed so the soundfont timbres that
                 cannot be rendered there are not forgotten.
Nothing from ../shared/data is packed except the training split's MIDI, which never leaves the
session (the folder lives under work/, which git ignores)."""
from __future__ import annotations

import argparse
import glob
import json
import lzma
import os
import pickle
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from synth import sampler, sources  # noqa: E402
from synth.midi_io import read_midi  # noqa: E402

KEPT_LAYERS = [1, 3, 5, 7, 9, 11, 14, 16]
BLOCK = 256
MEL_OFFSET, MEL_STEP = 14.0, 0.08  # uint8 covers log-mel -14 .. +6.4 (observed -13.6 .. +5.7)
LABELS = ("onset", "frame", "offset", "velocity", "pedal")


def block_int8(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = -(-len(x) // BLOCK) * BLOCK
    pad = np.zeros(n, np.float32)
    pad[:len(x)] = x
    blocks = pad.reshape(-1, BLOCK)
    scale = np.abs(blocks).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(blocks / scale[:, None]).astype(np.int8)
    return q.reshape(-1)[:len(x)], scale.astype(np.float32)


def unblock_int8(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    n = len(scale) * BLOCK
    pad = np.zeros(n, np.float32)
    pad[:len(q)] = q
    return (pad.reshape(-1, BLOCK) * scale[:, None]).reshape(-1)[:len(q)]


def pack_salamander(out: str) -> None:
    idx = json.load(open(os.path.join(sampler.CACHE, "index.json")))
    notes = np.load(os.path.join(sampler.CACHE, "notes.npy"), mmap_mode="r")
    kept = []
    for e in idx["notes"]:
        if e["layer"] in KEPT_LAYERS:
            q, s = block_int8(np.asarray(notes[e["offset"]:e["offset"] + e["length"]], np.float32))
            kept.append({"layer": e["layer"], "pitch": e["pitch"], "q": q, "scale": s})
    rels = np.load(os.path.join(sampler.CACHE, "releases.npy"))
    with lzma.open(os.path.join(out, "salamander.xz"), "wb", preset=1) as f:
        pickle.dump({"index": idx, "kept": kept, "releases": rels, "kept_layers": KEPT_LAYERS}, f, protocol=5)


def unpack_salamander(path: str, cache: str) -> None:
    """Writes a 16-layer cache (index offsets unchanged) that synth.sampler.Sampler(cache) reads."""
    with lzma.open(path, "rb") as f:
        pk = pickle.load(f)
    idx = pk["index"]
    total = max(e["offset"] + e["length"] for e in idx["notes"])
    notes = np.zeros(total, np.float16)
    have = {(k["layer"], k["pitch"]): unblock_int8(k["q"], k["scale"]) for k in pk["kept"]}
    layers = np.array(pk["kept_layers"])
    for e in idx["notes"]:
        src_layer = int(layers[np.argmin(np.abs(layers - e["layer"]))])
        x = have[(src_layer, e["pitch"])]
        m = min(len(x), e["length"])
        notes[e["offset"]:e["offset"] + m] = x[:m]
    os.makedirs(cache, exist_ok=True)
    np.save(os.path.join(cache, "notes.npy"), notes)
    np.save(os.path.join(cache, "releases.npy"), pk["releases"])
    with open(os.path.join(cache, "index.json"), "w") as f:
        json.dump(idx, f)


def pack_perfs(out: str) -> int:
    perfs = [read_midi(f) for f in sources.train_files()]
    perfs = [p for p in perfs if len(p.notes) > 20]
    for p in perfs:
        p.notes = p.notes.astype(np.float32)
    with lzma.open(os.path.join(out, "perfs.xz"), "wb") as f:
        pickle.dump(perfs, f, protocol=5)
    return len(perfs)


def pack_rehearsal(out: str, megabytes: float, seed: int) -> tuple[int, float]:
    files = sorted(glob.glob(os.path.join(HERE, "work", "data", "train", "*.npz")))
    rng = np.random.default_rng(seed)
    rng.shuffle(files)
    clips, est, seconds = [], 0.0, 0.0
    for path in files:
        with np.load(path) as z:
            if json.loads(str(z["meta"])).get("timbre") == "salamander":
                continue  # rendered fresh on the GPU machine
            mel = np.clip(np.round((z["mel"].astype(np.float32) + MEL_OFFSET) / MEL_STEP), 0, 255).astype(np.uint8)
            clips.append({"mel": mel, **{k: z[k].astype(np.uint8) for k in LABELS}})
        seconds += len(mel) / 100.0
        est += len(mel) * 229 / 1.45 / 1e6  # lzma shrinks the quantised log-mel ~1.45x; labels are ~free
        if est >= megabytes:
            break
    with lzma.open(os.path.join(out, "rehearsal.xz"), "wb", preset=6) as f:
        pickle.dump(clips, f, protocol=5)
    return len(clips), seconds


def load_rehearsal(path: str) -> list[dict[str, np.ndarray]]:
    with lzma.open(path, "rb") as f:
        clips = pickle.load(f)
    for c in clips:
        c["mel"] = (c["mel"].astype(np.float32) * MEL_STEP - MEL_OFFSET).astype(np.float16)
    return clips


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "work", "gpu"))
    ap.add_argument("--rehearsal-mb", type=float, default=11.0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    pack_salamander(args.out)
    n_perf = pack_perfs(args.out)
    n_clips, secs = pack_rehearsal(args.out, args.rehearsal_mb, args.seed)
    sizes = {f: round(os.path.getsize(os.path.join(args.out, f)) / 2 ** 20, 2) for f in sorted(os.listdir(args.out))}
    print(f"packed {n_perf} performances, {n_clips} rehearsal clips ({secs / 60:.1f} min); MiB {sizes}")


if __name__ == "__main__":
    main()
