"""Audio augmentation: room reverb (synthetic impulse responses), EQ / microphone colouring,
background noise at 10-40 dB SNR, gain and slight detune."""
from __future__ import annotations

import numpy as np
from scipy import signal

from common import SAMPLE_RATE


def synthetic_ir(rng: np.random.Generator, rt60: float) -> np.ndarray:
    n = int(rt60 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    tail = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    # darker tail: high frequencies decay faster in real rooms
    b, a = signal.butter(1, rng.uniform(2000, 7000) / (SAMPLE_RATE / 2))
    tail = signal.lfilter(b, a, tail)
    pre = int(rng.uniform(0.005, 0.03) * SAMPLE_RATE)  # pre-delay before the diffuse tail
    ir = np.concatenate([np.zeros(pre), tail])
    for _ in range(int(rng.integers(2, 6))):  # a few early reflections
        k = int(rng.uniform(0.002, 0.04) * SAMPLE_RATE)
        if k < len(ir):
            ir[k] += rng.uniform(0.2, 0.6) * rng.choice([-1, 1])
    ir /= np.sqrt((ir ** 2).sum()) + 1e-9
    ir[0] = 1.0  # direct sound
    return ir


def _peaking(f0: float, gain_db: float, q: float):
    A = 10 ** (gain_db / 40)
    w = 2 * np.pi * f0 / SAMPLE_RATE
    al = np.sin(w) / (2 * q)
    b = [1 + al * A, -2 * np.cos(w), 1 - al * A]
    a = [1 + al / A, -2 * np.cos(w), 1 - al / A]
    return np.array(b) / a[0], np.array(a) / a[0]


def colour(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    for _ in range(int(rng.integers(1, 4))):
        b, a = _peaking(float(np.exp(rng.uniform(np.log(80), np.log(6000)))), float(rng.uniform(-8, 8)),
                        float(rng.uniform(0.5, 2.5)))
        x = signal.lfilter(b, a, x)
    if rng.random() < 0.5:  # small microphone / laptop: weak bass
        b, a = signal.butter(2, rng.uniform(50, 250) / (SAMPLE_RATE / 2), "high")
        x = signal.lfilter(b, a, x)
    if rng.random() < 0.3:  # dull microphone
        b, a = signal.butter(2, rng.uniform(3500, 7500) / (SAMPLE_RATE / 2), "low")
        x = signal.lfilter(b, a, x)
    return x


def noise(n: int, rng: np.random.Generator) -> np.ndarray:
    white = rng.standard_normal(n)
    kind = rng.integers(0, 3)
    if kind == 0:
        return white
    spec = np.fft.rfft(white)
    f = np.maximum(np.arange(len(spec)), 1)
    spec /= np.sqrt(f) if kind == 1 else f  # pink or brown
    return np.fft.irfft(spec, n)


def detune(x: np.ndarray, cents: float) -> tuple[np.ndarray, float]:
    """Resample to shift pitch; returns audio and the time scale applied to labels."""
    r = 2 ** (cents / 1200)
    n_out = int(len(x) / r)
    y = np.interp(np.arange(n_out) * r, np.arange(len(x)), x)
    return y, 1.0 / r


def room_and_noise(x: np.ndarray, rng: np.random.Generator, snr_db: float | None = None,
                   rt60: float | None = None) -> np.ndarray:
    """The evaluation's fixed 'room + noise' condition uses this too, with given rt60/snr."""
    rt60 = rt60 if rt60 is not None else float(rng.uniform(0.2, 1.6))
    wet = signal.fftconvolve(x, synthetic_ir(rng, rt60))[: len(x)]
    mix = rng.uniform(0.3, 1.0)
    y = (1 - mix) * x + mix * wet * (np.abs(x).max() / (np.abs(wet).max() + 1e-9))
    snr_db = snr_db if snr_db is not None else float(rng.uniform(10, 40))
    nz = noise(len(y), rng)
    p_sig = np.mean(y ** 2) + 1e-12
    nz *= np.sqrt(p_sig / (np.mean(nz ** 2) * 10 ** (snr_db / 10)))
    return y + nz


def augment(x: np.ndarray, rng: np.random.Generator, strength: str) -> tuple[np.ndarray, float, dict]:
    """strength: 'dry' (gain only) or 'full'. Returns audio, label time scale, description."""
    info: dict = {"strength": strength}
    scale = 1.0
    y = x.astype(np.float64)
    if strength == "full":
        if rng.random() < 0.7:
            cents = float(rng.uniform(-15, 15))
            y, scale = detune(y, cents)
            info["detune_cents"] = round(cents, 2)
        if rng.random() < 0.8:
            y = colour(y, rng)
        if rng.random() < 0.85:
            y = room_and_noise(y, rng)
    peak = np.abs(y).max() + 1e-9
    gain = 10 ** (rng.uniform(-30, -1) / 20)
    y = y / peak * gain
    info["gain_db"] = round(20 * np.log10(gain), 1)
    return y.astype(np.float32), scale, info
