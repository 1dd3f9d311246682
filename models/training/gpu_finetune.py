"""Fine-tune the whole shipped network on a lent GPU machine, on audio rendered fresh while it trains.

  # here: pack what travels (see gpu_pack.py), then on the GPU machine, from models/training:
  python3 gpu_finetune.py --pack work/gpu --out $OUT --minutes 7
  # afterwards, here: score each snapshot on the validation split, export the best
  .venv/bin/python gpu_finetune.py --score-snapshots DIR
  # towards live latency: a model that answers 1 frame after the onset instead of 3 (every script of the
  # run, scoring and export included, under the same variable)
  SEMINOTE_OUTPUT_DELAY_FRAMES=1 python3 gpu_finetune.py --pack work/gpu --out $OUT --minutes 7
  # the same with 0.6.0 grown by the short-window onset branch (model.ShortOnset; recipe in
  # docs/transcription-model.md "Device recipe for the short-onset branch"); --steps N instead of
  # --minutes runs a fixed number of steps (CPU comparisons)
  SEMINOTE_OUTPUT_DELAY_FRAMES=1 python3 gpu_finetune.py --pack work/gpu --out $OUT --minutes 8 --short-onset --new-lr-mult 5

Why: on this project's 2-core CPU the network has cycled ~5 h of cached clips about a hundred times;
on a GPU the same minutes train on tens of hours of audio it has never heard. CPU worker processes
render clips continuously through the Salamander sampler (performance MIDI of the training split and
procedural material, the MIDI and audio augmentations of synth/build_dataset.py, labels by the same
rules as save_clip), the GPU trains every weight on them, mixed with replayed soundfont-timbre clips
(--rehearsal share of each batch) so those timbres are not forgotten. BatchNorm keeps its running
statistics (eval mode) so the fresh timbre does not move the normalisation the shipped graph bakes in.

Snapshots (raw weights and an exponential moving average) are written to --out as the run goes, so a
run stopped at its time limit still returns them; each loads like checkpoints/latest.pt."""
from __future__ import annotations

import argparse
import copy
import glob
import json
import math
import multiprocessing as mp
import os
import pickle
import lzma
import queue
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # workers are separate processes; one thread each
import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import OUTPUT_DELAY_FRAMES, extend_by_pedal, logmel_numpy, make_labels, num_frames, short_numpy  # noqa: E402
from gpu_pack import LABELS, load_rehearsal, unpack_salamander  # noqa: E402
from model import build_model, count_parameters, grow_state  # noqa: E402
from synth import augment_audio, augment_midi, procedural  # noqa: E402
from synth.midi_io import Performance  # noqa: E402
from synth.sampler import Sampler  # noqa: E402
from train import losses, stack_crops  # noqa: E402


def random_segment(perf: Performance, rng: np.random.Generator, lo: float = 10.0, hi: float = 20.0) -> Performance:
    """As synth/build_dataset.random_segment (that module imports soundfile, absent on the GPU image)."""
    dur = float(rng.uniform(lo, hi))
    start = float(rng.uniform(0, max(0.0, perf.duration - dur)))
    return perf.segment(start, start + dur)


def make_clip(rng: np.random.Generator, perfs: list[Performance], weights: np.ndarray,
              sampler: Sampler, weak_bass: float = 0.0, short: bool = False) -> dict[str, np.ndarray]:
    """One training clip, as build_dataset.build_train + save_clip make it for the salamander timbre;
    a weak_bass share of the clips is rendered with thinned bass (sampler.weaken_low_partials);
    short: also the short-onset branch's features (common.short_numpy; draws no random numbers)."""
    if rng.random() < 0.5:
        seg = random_segment(perfs[int(rng.choice(len(perfs), p=weights))], rng)
    else:
        seg = procedural.generate(rng, float(rng.uniform(10, 20)))
    seg = augment_midi.augment(seg, rng)
    if len(seg.notes) == 0:
        seg = procedural.generate(rng, 12.0)
    # drawn only when asked for, so runs without it keep their random streams
    ratio = float(rng.uniform(1.5, 4.5)) if weak_bass > 0 and rng.random() < weak_bass else None
    clip = sampler.render(seg, 1.0, rng, weak_bass=ratio)
    strength = "dry" if rng.random() < 0.3 else "full"
    audio, scale, _ = augment_audio.augment(clip, rng, strength)
    notes_raw = seg.notes.astype(np.float64).copy()
    notes_raw[:, :2] *= scale
    pedal = [(s * scale, e * scale) for s, e in seg.pedal]
    notes = extend_by_pedal(notes_raw, pedal)
    labels = make_labels(notes, pedal, num_frames(len(audio)))
    clip = {"mel": logmel_numpy(audio).astype(np.float16), **{k: labels[k].astype(np.uint8) for k in LABELS}}
    if short:
        clip["short"] = short_numpy(audio).astype(np.float16)
    return clip


def worker(wid: int, seed: int, perfs_path: str, cache: str, out: mp.Queue, weak_bass: float = 0.0,
           short: bool = False) -> None:
    torch.set_num_threads(1)
    with lzma.open(perfs_path, "rb") as f:
        perfs = pickle.load(f)
    weights = np.array([p.duration for p in perfs])
    weights /= weights.sum()
    sampler = Sampler(cache)
    rng = np.random.default_rng([seed, wid])
    while True:
        try:
            out.put(make_clip(rng, perfs, weights, sampler, weak_bass, short))
        except Exception as e:  # one bad segment costs one clip
            print(f"worker {wid}: {type(e).__name__}: {e}", flush=True)


def crop_batch(rng: np.random.Generator, fresh: list, old: list, batch: int, length: int,
               rehearsal: float, short: bool = False) -> dict[str, torch.Tensor]:
    n_old = int(rng.binomial(batch, rehearsal)) if old else 0
    picks = [old[int(i)] for i in rng.integers(0, len(old), n_old)] + \
            [fresh[int(i)] for i in rng.integers(0, len(fresh), batch - n_old)]
    starts = [int(rng.integers(0, max(1, len(d["mel"]) - length + 1))) for d in picks]
    return stack_crops(picks, starts, length, short)


def snapshot(path: str, src: dict, state: dict, info: dict, arch: dict | None = None) -> None:
    ck = {k: v for k, v in src.items() if k not in ("model", "opt")}
    if arch is not None:
        ck["arch"] = arch  # the grown architecture (--short-onset), not the source's
    ck["model"] = {k: v.detach().cpu().clone() for k, v in state.items()}
    ck["step"] = src.get("step", 0) + info["steps"]
    ck["wall_s"] = src.get("wall_s", 0.0) + info["seconds"]
    ck["finetune"] = info
    ck["output_delay_frames"] = OUTPUT_DELAY_FRAMES
    torch.save(ck, path + ".tmp")
    os.replace(path + ".tmp", path)


def run(args) -> None:
    t_start = time.time()
    cache = os.path.join(args.scratch, "salamander-cache")
    unpack_salamander(os.path.join(args.pack, "salamander.xz"), cache)
    ctx = mp.get_context("fork")
    clips_q: mp.Queue = ctx.Queue(maxsize=400)
    procs = [ctx.Process(target=worker, daemon=True,
                         args=(w, args.seed, os.path.join(args.pack, "perfs.xz"), cache, clips_q, args.weak_bass,
                               args.short_onset))
             for w in range(args.workers)]
    for p in procs:
        p.start()  # before CUDA is touched: forked children must not inherit a CUDA context
    old = load_rehearsal(os.path.join(args.pack, "rehearsal.xz")) if args.rehearsal > 0 else []
    device = torch.device(args.device if args.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu"))
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    src = torch.load(args.source, map_location="cpu", weights_only=False)
    if src.get("output_delay_frames", 3) != OUTPUT_DELAY_FRAMES:
        print(f"source answers {src.get('output_delay_frames', 3)} frames late; training it to answer "
              f"{OUTPUT_DELAY_FRAMES} frames late (SEMINOTE_OUTPUT_DELAY_FRAMES)", flush=True)
    arch = dict(src.get("arch") or {})
    if args.short_onset and not arch.get("short_onset"):
        # grown: the source's weights in place, the short-onset branch's outputs zero (model.grow_state)
        arch["short_onset"] = True
        model = build_model(arch)
        model.load_state_dict(grow_state(src["model"], model))
        print(f"grown from {args.source} into {arch}", flush=True)
    else:
        model = build_model(arch)
        model.load_state_dict(src["model"])
    model = model.to(device)
    short = model.short is not None
    model.train()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.eval()
    params = [p for p in model.parameters() if p.requires_grad]
    new = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("short.")]
    old_params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("short.")]
    # the short-onset branch starts from scratch beside weights already trained: --new-lr-mult times the rate
    groups = [{"params": old_params, "mult": 1.0}] + ([{"params": new, "mult": args.new_lr_mult}] if new else [])
    opt = torch.optim.Adam(groups, lr=args.lr)
    ema = {k: v.detach().clone().float() for k, v in model.state_dict().items()}
    print(f"device {device} ({torch.cuda.get_device_name(0) if device.type == 'cuda' else 'cpu'}); "
          f"params {count_parameters(model)}; rehearsal clips {len(old)}; workers {args.workers}; "
          f"setup {time.time() - t_start:.0f}s", flush=True)

    rng = np.random.default_rng(args.seed)
    fresh: list[dict[str, np.ndarray]] = []
    fresh_seconds = 0.0
    while len(fresh) < max(8, args.batch // 4):
        fresh.append(clips_q.get())
    budget = args.minutes * 60.0
    t0 = time.time()
    # --steps: the schedule and the snapshots follow the step count instead of the clock (CPU runs that
    # must match another run's steps on a machine of another speed)
    budget_steps = args.steps if args.steps > 0 else None
    marks = {(round(f * budget_steps) if budget_steps else round(f * budget, 1)): f for f in (0.25, 0.5, 0.75, 1.0)}
    step, running, log = 0, {}, []
    while True:
        elapsed = time.time() - t0
        while True:  # take everything the workers finished
            try:
                c = clips_q.get_nowait()
            except queue.Empty:
                break
            fresh.append(c)
            fresh_seconds += len(c["mel"]) / 100.0
            if len(fresh) > args.pool:
                fresh.pop(0)
        frac = min(1.0, step / budget_steps if budget_steps else elapsed / budget)
        warm = min(1.0, (step + 1) / args.warmup)
        lr = args.lr * warm * (args.final_lr + (1 - args.final_lr) * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr * g["mult"]
        b = crop_batch(rng, fresh, old, args.batch, args.length, args.rehearsal, short)
        b = {k: v.to(device, non_blocking=True) for k, v in b.items()}
        ls = losses(model, b, args.pos_onset)
        opt.zero_grad(set_to_none=True)
        ls["total"].backward()
        torch.nn.utils.clip_grad_norm_(params, 3.0)
        opt.step()
        step += 1
        with torch.no_grad():
            d = args.ema if step > args.warmup else 0.0
            for k, v in model.state_dict().items():
                if v.dtype.is_floating_point:
                    ema[k].mul_(d).add_(v.float(), alpha=1 - d)
                else:
                    ema[k].copy_(v)
        if step % 50 == 0:
            for k, v in ls.items():
                running[k] = float(v.detach())
            row = {"step": step, "s": round(elapsed, 1), "lr": round(lr, 7), "fresh_clips": len(fresh),
                   "fresh_h": round(fresh_seconds / 3600, 2), **{k: round(v, 4) for k, v in running.items()}}
            log.append(row)
            print(json.dumps(row), flush=True)
        for mark, f in list(marks.items()):
            if (step if budget_steps else elapsed) >= mark:
                info = {"steps": step, "seconds": round(elapsed, 1), "fraction": f, "batch": args.batch,
                        "length": args.length, "lr": args.lr, "rehearsal": args.rehearsal, "weak_bass": args.weak_bass,
                        "ema": args.ema, "short_onset": short, "new_lr_mult": args.new_lr_mult if short else None,
                        "fresh_audio_hours": round(fresh_seconds / 3600, 2), "workers": args.workers,
                        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
                        "timbre": "salamander (rendered during training) + soundfont rehearsal"}
                tag = f"{int(f * 100):03d}"
                if f >= 0.75:  # at most 8 files come back from the GPU machine
                    snapshot(os.path.join(args.out, f"raw{tag}.pt"), src, model.state_dict(), info, model.arch)
                snapshot(os.path.join(args.out, f"ema{tag}.pt"), src, ema, {**info, "weights": "ema"}, model.arch)
                print(f"snapshot {tag} at step {step}, {elapsed:.0f}s, fresh audio {fresh_seconds / 3600:.2f} h",
                      flush=True)
                del marks[mark]
        if not marks:
            break
    with open(os.path.join(args.out, "finetune_log.json"), "w") as f:
        json.dump(log, f)
    for p in procs:
        p.terminate()


def score_snapshots(folder: str, args_thresholds: tuple[float, ...] = (0.5, 0.65, 0.8)) -> None:
    """Validation figures of the source and every snapshot in folder, decoded with the shipped model's
    constants (as train_branch.py scores)."""
    from train_branch import validation_decoding
    from validate import validate
    dec = validation_decoding(os.path.join(HERE, "..", "transcription", "0.5.0", "manifest.json"))
    paths = [os.path.join(HERE, "checkpoints", "latest.pt")] + sorted(glob.glob(os.path.join(folder, "*.pt")))
    for path in paths:
        ck = torch.load(path, map_location="cpu", weights_only=False)
        if ck.get("output_delay_frames", 3) != OUTPUT_DELAY_FRAMES:
            print(f"{os.path.basename(path)}: skipped, trained for an output delay of {ck.get('output_delay_frames', 3)} "
                  f"frames (this process: {OUTPUT_DELAY_FRAMES}; set SEMINOTE_OUTPUT_DELAY_FRAMES)", flush=True)
            continue
        m = build_model(ck.get("arch"))
        m.load_state_dict(ck["model"])
        m.eval()
        # a fine-tune moves the posteriors' calibration: give each the onset threshold it scores best at
        # (export.py re-tunes all decoding constants on validation anyway)
        for thr in args_thresholds:
            res = validate(m, {**dec, "onset_threshold": thr})
            score = res["onset_f1"] + res["onset_offset_f1"] + res["frame_f1"]
            print(f"{os.path.basename(path)} onset>={thr}: score {score:.4f} "
                  + json.dumps({k: round(v, 4) for k, v in res.items()}), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pack", default=os.path.join(HERE, "work", "gpu"))
    ap.add_argument("--source", default=os.path.join(HERE, "checkpoints", "latest.pt"))
    ap.add_argument("--out", default=os.path.join(HERE, "work", "gpu-out"))
    ap.add_argument("--scratch", default="/tmp/seminote-finetune")
    ap.add_argument("--minutes", type=float, default=7.0, help="training time (after setup)")
    ap.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 2))
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--length", type=int, default=400)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--final-lr", type=float, default=0.1, help="cosine decay ends at this fraction of --lr")
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--rehearsal", type=float, default=0.25, help="share of each batch from packed soundfont clips")
    ap.add_argument("--pool", type=int, default=30000, help="fresh clips kept in memory (~1.2 MB each)")
    ap.add_argument("--pos-onset", type=float, default=3.0)
    ap.add_argument("--weak-bass", type=float, default=0.0,
                    help="share of fresh clips whose keys up to E3 lose their lowest partials (0: none)")
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--short-onset", action="store_true",
                    help="grow the source into the architecture with the short-window onset branch (model.ShortOnset)")
    ap.add_argument("--new-lr-mult", type=float, default=1.0, help="learning-rate multiple for the short-onset branch")
    ap.add_argument("--steps", type=int, default=0,
                    help="train this many steps (schedule and snapshots by step) instead of --minutes")
    ap.add_argument("--threads", type=int, default=0, help="torch threads of the trainer (0: torch's default)")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--score-snapshots", default="", help="score checkpoints/latest.pt and DIR/*.pt on validation")
    args = ap.parse_args()
    if args.score_snapshots:
        score_snapshots(args.score_snapshots)
        return
    os.makedirs(args.out, exist_ok=True)
    if args.threads:
        torch.set_num_threads(args.threads)
    run(args)


if __name__ == "__main__":
    main()
