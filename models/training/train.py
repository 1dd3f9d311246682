"""Train the transcriber on cached log-mel features.

  nice -n 5 .venv/bin/python train.py            # fresh run (refuses to overwrite an existing one)
  nice -n 5 .venv/bin/python train.py --resume   # continue from work/ckpt/last.pt
  .venv/bin/python train.py --run bypass --bypass --grow-from checkpoints/latest.pt
      # a new run in work/runs/bypass/ whose grown architecture starts from the given weights

Checkpoints every --ckpt-minutes to work/ckpt/last.pt (atomic), best validation onset F1 to
work/ckpt/best.pt; curves to work/logs/train.csv, val.csv and curves.png."""
from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import random
import signal
import time

import numpy as np
import torch
import torch.nn.functional as F

from common import LOG_EPS, ONSET_TARGET_FRAMES, OUTPUT_DELAY_FRAMES, SHORT_BANDS, delay_labels
from model import Transcriber, build_model, count_parameters, grow_state

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
CKPT = os.path.join(WORK, "ckpt")
LOGS = os.path.join(WORK, "logs")
COMMITTED = os.path.join(HERE, "checkpoints", "latest.pt")  # weights-only copy written by export.py


class Clips:
    """All cached training clips in memory; rescanned now and then as the renderer adds more."""

    def __init__(self, split_dir: str, short: bool = False):
        self.dir = split_dir
        self.short = short  # also load the short-window features where the clip has them
        self.names: list[str] = []
        self.data: list[dict[str, np.ndarray]] = []
        self.seconds = 0.0
        self.rescan()

    def rescan(self) -> int:
        known = set(self.names)
        added = 0
        for path in sorted(glob.glob(os.path.join(self.dir, "*.npz"))):
            name = os.path.basename(path)
            if name in known or name.startswith("."):
                continue
            try:
                with np.load(path) as z:
                    item = {k: z[k] for k in ("mel", "onset", "frame", "offset", "velocity", "pedal")}
                    if self.short and "short" in z:
                        item["short"] = z["short"]
            except Exception as e:  # a half-written file: pick it up next time
                print(f"skip {name}: {e}", flush=True)
                continue
            self.names.append(name)
            self.data.append(item)
            self.seconds += len(item["mel"]) / 100.0
            added += 1
        return added

    def batch(self, rng: random.Random, batch: int, length: int) -> dict[str, torch.Tensor]:
        lens = np.array([len(d["mel"]) for d in self.data], dtype=np.float64)
        idx = np.random.default_rng(rng.randrange(2 ** 31)).choice(len(self.data), size=batch, p=lens / lens.sum())
        picks = [self.data[int(i)] for i in idx]
        return stack_crops(picks, [rng.randrange(max(1, len(d["mel"]) - length + 1)) for d in picks], length,
                           self.short)


def stack_crops(clips: list[dict[str, np.ndarray]], starts: list[int], length: int,
                short: bool = False) -> dict[str, torch.Tensor]:
    """A training batch: each clip's frames [start, start + length), padded with silence at the end.
    short: also the short-onset branch's features ("short" [B, length + 1, SHORT_BANDS]: rows of
    common.short_numpy, the frame before the crop first) and "short_mask" [B] (0 where the clip has
    none: packed log-mel without audio; the branch is silent on those crops)."""
    out: dict[str, list] = {k: [] for k in ("mel", "onset", "frame", "offset", "velocity", "pedal")}
    for d, s in zip(clips, starts):
        for k in out:
            x = d[k][s:s + length]
            if len(x) < length:
                pad = [(0, length - len(x))] + [(0, 0)] * (x.ndim - 1)
                x = np.pad(x, pad, constant_values=(np.log(1e-6) if k == "mel" else 0))
            out[k].append(x)
    res = {k: torch.from_numpy(np.stack(v).astype(np.float32)) for k, v in out.items()}
    if short:
        rows, mask = [], []
        for d, s in zip(clips, starts):
            x = np.full((length + 1, SHORT_BANDS), np.log(LOG_EPS), np.float32)
            if "short" in d:
                part = d["short"][s:s + length + 1]  # row j is frame j - 1
                x[:len(part)] = part
            rows.append(x)
            mask.append(1.0 if "short" in d else 0.0)
        res["short"] = torch.from_numpy(np.stack(rows))
        res["short_mask"] = torch.tensor(mask, dtype=torch.float32)
    res["velocity"] = res["velocity"] / 127.0
    return res


LABEL_KEYS = ("onset", "frame", "offset", "velocity", "pedal")


def widen_onsets(onset: torch.Tensor, frames: int = ONSET_TARGET_FRAMES) -> torch.Tensor:
    """Onset target [B, T, 88]: 1 on the labelled frame and the frames-1 after it."""
    out = onset.clone()
    for i in range(1, frames):
        out[:, i:] = torch.maximum(out[:, i:], onset[:, :-i])
    return out


def losses(model: Transcriber, b: dict[str, torch.Tensor], pos_onset: float) -> dict[str, torch.Tensor]:
    lg = model.logits_trunk(b["mel"], b.get("short"), b.get("short_mask"))
    # Every head answers OUTPUT_DELAY_FRAMES late (see common.py): shift all labels the same way.
    b = {k: (delay_labels(v) if k in LABEL_KEYS else v) for k, v in b.items()}
    b["onset"] = widen_onsets(b["onset"])
    onset_w = torch.tensor(pos_onset, device=lg["onset"].device)
    l_on = F.binary_cross_entropy_with_logits(lg["onset"], b["onset"], pos_weight=onset_w)
    l_fr = F.binary_cross_entropy_with_logits(lg["frame"], b["frame"])
    l_off = F.binary_cross_entropy_with_logits(lg["offset"], b["offset"], pos_weight=torch.tensor(2.0, device=lg["offset"].device))
    mask = b["onset"]
    l_vel = ((torch.sigmoid(lg["velocity"]) - b["velocity"]) ** 2 * mask).sum() / mask.sum().clamp(min=1)
    l_ped = F.binary_cross_entropy_with_logits(lg["pedal"].squeeze(-1), b["pedal"])
    total = l_on + l_fr + 0.5 * l_off + l_vel + 0.5 * l_ped
    return {"total": total, "onset": l_on, "frame": l_fr, "offset": l_off, "velocity": l_vel, "pedal": l_ped}


def save_atomic(obj, path: str) -> None:
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def plot_curves() -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        tr = list(csv.DictReader(open(os.path.join(LOGS, "train.csv"))))
        va = list(csv.DictReader(open(os.path.join(LOGS, "val.csv")))) if os.path.exists(os.path.join(LOGS, "val.csv")) else []
        fig, ax = plt.subplots(1, 2, figsize=(11, 4))
        steps = [int(r["step"]) for r in tr]
        for k in ("total", "onset", "frame", "offset", "velocity", "pedal"):
            ax[0].plot(steps, [float(r[k]) for r in tr], label=k)
        ax[0].set_yscale("log"); ax[0].set_xlabel("step"); ax[0].set_title("training loss (running mean)"); ax[0].legend()
        if va:
            vs = [int(r["step"]) for r in va]
            for k in ("onset_f1", "onset_offset_f1", "frame_f1"):
                ax[1].plot(vs, [float(r[k]) for r in va], marker="o", label=k)
        ax[1].set_ylim(0, 1); ax[1].set_xlabel("step"); ax[1].set_title("validation (mir_eval)"); ax[1].legend()
        fig.tight_layout()
        fig.savefig(os.path.join(LOGS, "curves.png"), dpi=80)
        plt.close(fig)
    except Exception as e:  # plotting must never stop training
        print("plot failed:", e, flush=True)


def main() -> None:
    # imported here: validate needs mir_eval, which the GPU image lacks, and gpu_finetune.py imports losses
    from validate import validate

    ap = argparse.ArgumentParser()
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--steps", type=int, default=10 ** 9)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--length", type=int, default=400, help="frames per training crop")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--pos-onset", type=float, default=3.0)
    ap.add_argument("--val-every", type=int, default=200)
    ap.add_argument("--ckpt-minutes", type=float, default=4.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--run", default="", help="run name: checkpoints and logs in work/runs/<name>/ (default work/ckpt, work/logs)")
    ap.add_argument("--bypass", action="store_true", help="full-resolution log-mel bypass into the dense layer (0.3.0 architecture)")
    ap.add_argument("--keys", action="store_true", help="per-key partial branch beside the trunk (0.4.0 architecture)")
    ap.add_argument("--contrast", action="store_true", help="per-key peak-contrast branch (0.5.0 architecture; "
                    "first trained alone on the frozen network by train_branch.py)")
    ap.add_argument("--short-onset", action="store_true",
                    help="short-window onset branch (model.ShortOnset; the delay-1 experiment). Trains on clips whose "
                         "cache holds 'short' features (build_dataset writes them); on the others the branch is silent")
    ap.add_argument("--grow-from", default="", help="start a new run from these weights, grown into this architecture (new parts zero)")
    args = ap.parse_args()
    global CKPT, LOGS
    if args.run:
        CKPT = os.path.join(WORK, "runs", args.run, "ckpt")
        LOGS = os.path.join(WORK, "runs", args.run, "logs")
    torch.set_num_threads(args.threads)
    os.makedirs(CKPT, exist_ok=True)
    os.makedirs(LOGS, exist_ok=True)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    last_path = os.path.join(CKPT, "last.pt")
    resuming = args.resume and os.path.exists(last_path)
    ck = torch.load(last_path, map_location="cpu", weights_only=False) if resuming else None
    arch = ck.get("arch") if ck else {"channels": [8, 16], "hidden": 256, "bypass": args.bypass, "keys": args.keys,
                                      **({"contrast": True} if args.contrast else {}),
                                      **({"short_onset": True} if args.short_onset else {})}
    model = build_model(arch)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    step, wall, best, history = 0, 0.0, -1.0, {}
    if resuming:
        if ck.get("output_delay_frames", 3) != OUTPUT_DELAY_FRAMES:
            raise SystemExit(f"{last_path} trains an output delay of {ck.get('output_delay_frames', 3)} frames, this "
                             f"process {OUTPUT_DELAY_FRAMES}: set SEMINOTE_OUTPUT_DELAY_FRAMES to match")
        model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"])
        step, wall, best = ck["step"], ck["wall_s"], ck["best_f1"]
        rng.setstate(ck["py_rng"]); torch.set_rng_state(ck["torch_rng"])
        history = ck.get("history", {})
        print(f"resumed at step {step}, wall {wall / 60:.1f} min, best val onset F1 {best:.4f}", flush=True)
    elif args.grow_from:
        if os.path.exists(last_path):
            raise SystemExit(f"{last_path} exists: pass --resume to continue that run")
        src = torch.load(args.grow_from, map_location="cpu", weights_only=False)
        model.load_state_dict(grow_state(src["model"], model))
        step, wall = src.get("step", 0), src.get("wall_s", 0.0)
        history = {"grown_from": {"path": args.grow_from, "step": step, "arch": src.get("arch")}}
        print(f"grown from {args.grow_from} (step {step}) into {arch}; optimiser state starts fresh", flush=True)
    elif args.resume and os.path.exists(COMMITTED):
        # Fresh machine (work/ is not kept): continue from the weights committed at the last export,
        # with a new optimiser state.
        ck = torch.load(COMMITTED, map_location="cpu", weights_only=False)
        model.load_state_dict(ck["model"])
        step, wall, history = ck["step"], ck["wall_s"], ck.get("history", {})
        print(f"resumed from committed weights {COMMITTED} (step {step}); optimiser state starts fresh", flush=True)
    elif os.path.exists(last_path) and not args.resume:
        raise SystemExit("work/ckpt/last.pt exists: pass --resume, or move it away to start fresh")

    clips = Clips(os.path.join(WORK, "data", "train"), short=model.short is not None)
    print(f"params {count_parameters(model)}; train clips {len(clips.data)} ({clips.seconds / 3600:.2f} h)", flush=True)
    if model.short is not None:
        n_short = sum("short" in d for d in clips.data)
        print(f"short-onset branch: {n_short} of {len(clips.data)} clips carry short-window features "
              f"(the branch is silent on the others)", flush=True)
    new_log = not os.path.exists(os.path.join(LOGS, "train.csv"))
    trf = open(os.path.join(LOGS, "train.csv"), "a", newline="")
    trw = csv.writer(trf)
    if new_log:
        trw.writerow(["step", "wall_s", "lr", "total", "onset", "frame", "offset", "velocity", "pedal", "train_hours"])
    running: dict[str, float] = {}
    t_last_ckpt = time.time()
    t0 = time.time() - wall

    def checkpoint(path: str) -> None:
        save_atomic({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "wall_s": time.time() - t0,
                     "best_f1": best, "py_rng": rng.getstate(), "torch_rng": torch.get_rng_state(),
                     "history": history, "args": vars(args), "train_hours": clips.seconds / 3600,
                     "arch": model.arch, "output_delay_frames": OUTPUT_DELAY_FRAMES}, path)

    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))  # kill PID: checkpoint, then exit

    model.train()
    while step < args.steps and not stop["now"]:
        lr = args.lr * (0.5 ** (step / 20000))  # slow decay; no fixed horizon because runs resume
        for g in opt.param_groups:
            g["lr"] = lr
        b = clips.batch(rng, args.batch, args.length)
        ls = losses(model, b, args.pos_onset)
        opt.zero_grad()
        ls["total"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 3.0)
        opt.step()
        step += 1
        for k, v in ls.items():
            running[k] = 0.98 * running.get(k, float(v)) + 0.02 * float(v)
        if step % 25 == 0:
            trw.writerow([step, round(time.time() - t0, 1), lr] + [round(running[k], 5) for k in
                         ("total", "onset", "frame", "offset", "velocity", "pedal")] + [round(clips.seconds / 3600, 3)])
            trf.flush()
        if step % 100 == 0:
            print(f"step {step} {time.time() - t0:.0f}s loss {running['total']:.4f} onset {running['onset']:.4f} "
                  f"frame {running['frame']:.4f}", flush=True)
        if step % 100 == 0:
            n = clips.rescan()
            if n:
                print(f"added {n} clips -> {clips.seconds / 3600:.2f} h", flush=True)
        if step % args.val_every == 0:
            model.eval()
            res = validate(model)
            model.train()
            res_row = {"step": step, "wall_s": round(time.time() - t0, 1), **{k: round(v, 4) for k, v in res.items()}}
            new_val = not os.path.exists(os.path.join(LOGS, "val.csv"))
            with open(os.path.join(LOGS, "val.csv"), "a", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(res_row))
                if new_val:
                    w.writeheader()
                w.writerow(res_row)
            history[str(step)] = res_row
            print("val", json.dumps(res_row), flush=True)
            # onset F1 decides; frame F1 breaks ties (on the early plateau onset F1 is 0 everywhere)
            score = res["onset_f1"] + 1e-3 * res["frame_f1"]
            if score > best:
                best = score
                checkpoint(os.path.join(CKPT, "best.pt"))
            plot_curves()
        if time.time() - t_last_ckpt > args.ckpt_minutes * 60:
            checkpoint(last_path)
            t_last_ckpt = time.time()
    checkpoint(last_path)


if __name__ == "__main__":
    main()
