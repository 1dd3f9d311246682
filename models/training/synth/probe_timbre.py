"""Measure a timbre's piano note by note, as the test set renders it (16 kHz mono): attack time after
the labelled onset, level by velocity, tuning and the strongest partials (as ratios to f0).

  .venv/bin/python -m synth.probe_timbre --timbre csound [--velocities 30,70,110] [--json out.json]

Every key A0-C8 is rendered alone (0.8 s held, 4 s of silence around it). Attack: ms from the label
to the envelope's first reaching 10 % / 50 % of its peak within 150 ms (1 ms RMS window). Level: peak
of that envelope in dBFS (synthesiser gain as render.py sets it). Partials: peaks of the 50-550 ms
spectrum (Hann, zero-padded to 1 Hz bins) near k*f0, k = 1..16 (+-4 %, enough for stretched partials),
relative to the strongest; f0 estimate = median of (peak frequency / k) over partials within 30 dB of
the strongest, whose deviation from the key's frequency is reported in cents."""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common import SAMPLE_RATE  # noqa: E402
from synth import render  # noqa: E402
from synth.midi_io import Performance  # noqa: E402

ONSET = 0.5


def midi_hz(p: float) -> float:
    return 440.0 * 2 ** ((p - 69) / 12)


def measure(clip: np.ndarray, pitch: int) -> dict:
    x = clip.astype(np.float64)
    a = int(round(ONSET * SAMPLE_RATE))
    env = np.sqrt(np.convolve(x * x, np.ones(16) / 16, "same"))
    w = env[a - 160:a + int(0.15 * SAMPLE_RATE)]
    pk = float(w.max())
    if pk < 1e-7:
        return {"pitch": pitch, "silent": True}
    pre = float(env[a - 1600:a - 160].max())  # 100-10 ms before the label: should be silence
    t10 = (int(np.argmax(w >= 0.1 * pk)) - 160) / 16.0
    t50 = (int(np.argmax(w >= 0.5 * pk)) - 160) / 16.0
    seg = x[a + int(0.05 * SAMPLE_RATE):a + int(0.55 * SAMPLE_RATE)]
    spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg)), SAMPLE_RATE))  # 1 Hz bins
    f0 = midi_hz(pitch)
    parts = []
    for k in range(1, 17):
        lo, hi = int(k * f0 * 0.96), int(np.ceil(k * f0 * 1.04))
        if hi >= len(spec) - 1:
            break
        i = lo + int(np.argmax(spec[lo:hi + 1]))
        if parts and parts[-1][1] == i:  # neighbouring windows overlap high up: one peak, counted once
            continue
        parts.append((k, i, float(spec[i])))
    top = max(p[2] for p in parts)
    strong = [(k, f, 20 * np.log10(m / top)) for k, f, m in parts if m > top * 10 ** (-30 / 20)]
    est_f0 = float(np.median([f / k for k, f, _ in strong]))
    ranked = sorted(parts, key=lambda p: -p[2])[:5]
    return {"pitch": pitch, "t10_ms": t10, "t50_ms": t50, "peak_dbfs": 20 * np.log10(pk),
            "pre_dbfs": 20 * np.log10(pre + 1e-12), "cents": 1200 * np.log2(est_f0 / f0),
            "fundamental_db": 20 * np.log10(parts[0][2] / top),
            "strongest": [(round(f / f0, 2), round(20 * np.log10(m / top), 1)) for _, f, m in ranked]}


def probe(timbre: str, velocities: list[int], program: int = 0) -> list[dict]:
    out = []
    for vel in velocities:
        perfs = [Performance(np.array([[ONSET, ONSET + 0.8, p, vel]], np.float64), []) for p in range(21, 109)]
        clips = render.render_batch(perfs, timbre, program, tail=3.0)
        for p, clip in zip(range(21, 109), clips):
            out.append({"velocity": vel, **measure(clip, p)})
    return out


def summary(rows: list[dict]) -> str:
    lines = []
    ok = [r for r in rows if not r.get("silent")]
    lines.append(f"silent notes: {[(r['pitch'], r['velocity']) for r in rows if r.get('silent')]}")
    t10 = np.array([r["t10_ms"] for r in ok])
    t50 = np.array([r["t50_ms"] for r in ok])
    lines.append(f"attack after label, ms: 10 % median {np.median(t10):.1f} (min {t10.min():.1f}, p90 "
                 f"{np.percentile(t10, 90):.1f}); 50 % median {np.median(t50):.1f} (p90 {np.percentile(t50, 90):.1f})")
    lines.append(f"sound before the label (max over notes, dBFS): {max(r['pre_dbfs'] for r in ok):.1f}")
    for vel in sorted({r["velocity"] for r in ok}):
        for name, lo, hi in (("A0-B2", 21, 47), ("C3-B4", 48, 71), ("C5-C8", 72, 108)):
            sel = [r["peak_dbfs"] for r in ok if r["velocity"] == vel and lo <= r["pitch"] <= hi]
            lines.append(f"  v{vel:3d} {name}: peak level median {np.median(sel):6.1f} dBFS (min {min(sel):6.1f}, max {max(sel):6.1f})")
    cents = np.array([r["cents"] for r in ok])
    lines.append(f"tuning, cents from the key: median {np.median(cents):+.1f}, worst {cents[np.argmax(np.abs(cents))]:+.1f} "
                 f"(key {ok[int(np.argmax(np.abs(cents)))]['pitch']})")
    mid = sorted({r["velocity"] for r in ok})[len({r['velocity'] for r in ok}) // 2]
    lines.append(f"bass partials at v{mid} (ratio to f0, dB below the strongest; fundamental's level):")
    for r in ok:
        if r["velocity"] == mid and r["pitch"] <= 47:
            lines.append(f"  {r['pitch']:3d}: f0 {r['fundamental_db']:6.1f} dB | " +
                         ", ".join(f"{q:.2f} ({d:.0f})" for q, d in r["strongest"]))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timbre", required=True, choices=sorted(render.TIMBRES))
    ap.add_argument("--velocities", default="30,70,110")
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    rows = probe(args.timbre, [int(v) for v in args.velocities.split(",")])
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    print(summary(rows))


if __name__ == "__main__":
    main()
