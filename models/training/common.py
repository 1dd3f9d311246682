"""Model constants, label construction and the numpy reference front end.

Every number the TypeScript side needs is written into manifest.json by export.py from here;
nothing is copied by hand.
"""
from __future__ import annotations

import os

import numpy as np

SAMPLE_RATE = 16000
HOP = 160  # 10 ms
FRAME_RATE = SAMPLE_RATE / HOP  # 100 frames/s
N_FFT = 2048  # 128 ms window: resolves low notes
RIGHT_TAPER = 2 * HOP  # short right taper: a frame's window ends one hop after its start time
N_MELS = 229
F_MIN = 30.0
F_MAX = 8000.0
PITCH_OFFSET = 21  # MIDI pitch of key 0 (A0)
KEYS = 88
# Frame t has time t / FRAME_RATE; its window covers samples [(t+1)*HOP - N_FFT, (t+1)*HOP).
# So the front end needs N_FFT - HOP samples of left context and sees one hop past the frame time.
CONTEXT_SAMPLES = N_FFT - HOP
LOG_EPS = 1e-6
# The heads answer for time t at output frame t + OUTPUT_DELAY_FRAMES (30 ms of look-ahead, inside the
# 40 ms the product allows). Why: with this causal front end the evidence of a new note (spectral flux
# correlated with onset labels over cached training clips) is ~0 at the labelled frame and peaks 1-2
# frames later; a purely causal head labelled at frame t never saw the note and stayed on the all-zeros
# plateau for 8000+ steps. Decoders undo the delay with decoding.time_offset_s = -delay / frame rate.
# SEMINOTE_OUTPUT_DELAY_FRAMES overrides it for a whole process (training, validation and export must
# agree; checkpoints record theirs and export.py refuses a mismatch): the experiment towards live
# latency trains a model that answers sooner. The TypeScript side needs no change: it takes the
# look-ahead from the manifest's decoding.time_offset_s.
OUTPUT_DELAY_FRAMES = int(os.environ.get("SEMINOTE_OUTPUT_DELAY_FRAMES", "3"))
if not 0 <= OUTPUT_DELAY_FRAMES <= 6:
    raise ValueError(f"SEMINOTE_OUTPUT_DELAY_FRAMES must be 0..6, got {OUTPUT_DELAY_FRAMES}")
# Onset targets span this many frames from the labelled one (a single 10 ms frame is narrower than the
# label's rounding plus synthesiser attack jitter).
ONSET_TARGET_FRAMES = 2
PEDAL_THRESHOLD_CC = 64


def asymmetric_window() -> np.ndarray:
    """Long Hann rise on the left, short Hann fall on the right (look-ahead stays ~1 hop)."""
    rise = N_FFT - RIGHT_TAPER
    left = np.hanning(2 * rise + 1)[:rise]
    right = np.hanning(2 * RIGHT_TAPER + 1)[RIGHT_TAPER + 1:]
    win = np.concatenate([left, np.ones(1), right])[:N_FFT]
    assert win.shape[0] == N_FFT
    return win.astype(np.float64)


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank() -> np.ndarray:
    """[N_MELS, N_FFT//2+1] triangular HTK-mel filters, Slaney-style area normalisation."""
    n_bins = N_FFT // 2 + 1
    freqs = np.linspace(0, SAMPLE_RATE / 2, n_bins)
    mel_pts = np.linspace(hz_to_mel(F_MIN), hz_to_mel(F_MAX), N_MELS + 2)
    hz_pts = mel_to_hz(mel_pts)
    fb = np.zeros((N_MELS, n_bins))
    for m in range(N_MELS):
        lo, ce, hi = hz_pts[m], hz_pts[m + 1], hz_pts[m + 2]
        up = (freqs - lo) / max(ce - lo, 1e-9)
        down = (hi - freqs) / max(hi - ce, 1e-9)
        fb[m] = np.maximum(0.0, np.minimum(up, down))
        # Low filters are narrower than a DFT bin: guarantee each covers its nearest bin.
        if fb[m].sum() == 0:
            fb[m, int(np.argmin(np.abs(freqs - ce)))] = 1.0
        fb[m] *= 2.0 / (hi - lo)
    return fb


def dft_kernels() -> tuple[np.ndarray, np.ndarray]:
    """Window x DFT (cos, sin) kernels, each [N_FFT//2+1, N_FFT]."""
    n = np.arange(N_FFT)
    k = np.arange(N_FFT // 2 + 1)[:, None]
    win = asymmetric_window()
    ang = 2.0 * np.pi * k * n / N_FFT
    return np.cos(ang) * win, -np.sin(ang) * win


def num_frames(n_samples: int) -> int:
    return n_samples // HOP


def logmel_numpy(audio: np.ndarray) -> np.ndarray:
    """Reference front end: [T, N_MELS] float32, T = len(audio)//HOP; same maths as the ONNX graph."""
    audio = np.asarray(audio, dtype=np.float32)
    T = num_frames(len(audio))
    padded = np.concatenate([np.zeros(CONTEXT_SAMPLES, np.float32), audio[: T * HOP]])
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(T)[:, None]
    frames = padded[idx] * asymmetric_window().astype(np.float32)[None, :]
    spec = np.fft.rfft(frames, n=N_FFT, axis=1)
    power = (spec.real ** 2 + spec.imag ** 2).astype(np.float32)
    mel = power @ mel_filterbank().T.astype(np.float32)
    return np.log(mel + LOG_EPS).astype(np.float32)


# Short window (the short-onset branch, model.ShortOnset): 32 ms Hann whose right edge is the long
# window's, so it adds no look-ahead; frame t's short window covers samples [(t+1)*HOP - SHORT_N, (t+1)*HOP).
# Its log power in SHORT_BANDS mel bands says *when* energy arrives: a new note's first 20 ms fill
# more than half of it, against a sixth of the 128 ms long window.
SHORT_N = 512
SHORT_BANDS = 48


def short_window() -> np.ndarray:
    return np.hanning(SHORT_N + 1)[:SHORT_N].astype(np.float64)


def short_filterbank() -> np.ndarray:
    """[SHORT_BANDS, SHORT_N//2+1] triangular mel filters over F_MIN..F_MAX, as mel_filterbank."""
    n_bins = SHORT_N // 2 + 1
    freqs = np.linspace(0, SAMPLE_RATE / 2, n_bins)
    hz_pts = mel_to_hz(np.linspace(hz_to_mel(F_MIN), hz_to_mel(F_MAX), SHORT_BANDS + 2))
    fb = np.zeros((SHORT_BANDS, n_bins))
    for m in range(SHORT_BANDS):
        lo, ce, hi = hz_pts[m], hz_pts[m + 1], hz_pts[m + 2]
        fb[m] = np.maximum(0.0, np.minimum((freqs - lo) / max(ce - lo, 1e-9), (hi - freqs) / max(hi - ce, 1e-9)))
        if fb[m].sum() == 0:
            fb[m, int(np.argmin(np.abs(freqs - ce)))] = 1.0
        fb[m] *= 2.0 / (hi - lo)
    return fb


def short_band_centres_hz() -> np.ndarray:
    return mel_to_hz(np.linspace(hz_to_mel(F_MIN), hz_to_mel(F_MAX), SHORT_BANDS + 2))[1:-1]


def short_numpy(audio: np.ndarray) -> np.ndarray:
    """Reference short-window front end: [T + 1, SHORT_BANDS] float32 log band power for frames
    -1 .. T-1 (row 0 is the frame before the first, from the zero left padding: log(LOG_EPS));
    same maths as model.ShortOnset.features."""
    audio = np.asarray(audio, dtype=np.float32)
    T = num_frames(len(audio))
    padded = np.concatenate([np.zeros(CONTEXT_SAMPLES, np.float32), audio[: T * HOP]])
    # frame k (k = -1 .. T-1) ends where the long window of frame k ends: CONTEXT_SAMPLES + (k+1)*HOP
    idx = np.arange(SHORT_N)[None, :] + (CONTEXT_SAMPLES - SHORT_N) + HOP * np.arange(T + 1)[:, None]
    frames = padded[idx] * short_window().astype(np.float32)[None, :]
    spec = np.fft.rfft(frames, n=SHORT_N, axis=1)
    power = (spec.real ** 2 + spec.imag ** 2).astype(np.float32)
    bands = power @ short_filterbank().T.astype(np.float32)
    return np.log(bands + LOG_EPS).astype(np.float32)


def extend_by_pedal(notes: np.ndarray, pedal_intervals: list[tuple[float, float]]) -> np.ndarray:
    """Extend each note's offset to the end of the sustain-pedal press that holds it, but never past
    the next onset of the same pitch (Onsets and Frames convention). notes: [N, 4] (on, off, pitch, vel)."""
    if len(notes) == 0 or not pedal_intervals:
        return notes.copy()
    out = notes.copy()
    for i in range(len(out)):
        off = out[i, 1]
        for ps, pe in pedal_intervals:
            if ps <= off < pe:
                out[i, 1] = pe
                break
    # cut at the next onset of the same pitch
    order = np.lexsort((out[:, 0], out[:, 2]))
    for a, b in zip(order[:-1], order[1:]):
        if out[a, 2] == out[b, 2] and out[a, 1] > out[b, 0]:
            out[a, 1] = max(out[b, 0], out[a, 0] + 0.01)
    return out


def make_labels(notes: np.ndarray, pedal_intervals: list[tuple[float, float]], T: int) -> dict[str, np.ndarray]:
    """Frame labels at FRAME_RATE. notes: [N, 4] (onset s, offset s, midi pitch, velocity 1..127)
    with offsets already extended by the pedal. Returns uint8 arrays [T, 88] + pedal [T]."""
    onset = np.zeros((T, KEYS), np.uint8)
    frame = np.zeros((T, KEYS), np.uint8)
    offset = np.zeros((T, KEYS), np.uint8)
    velocity = np.zeros((T, KEYS), np.uint8)
    for on, off, pitch, vel in notes:
        k = int(pitch) - PITCH_OFFSET
        if not 0 <= k < KEYS:
            continue
        a = int(round(on * FRAME_RATE))
        b = max(a + 1, int(round(off * FRAME_RATE)))
        if a >= T:
            continue
        frame[a:min(b, T), k] = 1
        onset[a, k] = 1
        velocity[a, k] = int(vel)
        if b < T:
            offset[b, k] = 1
    pedal = np.zeros(T, np.uint8)
    for ps, pe in pedal_intervals:
        a, b = int(round(ps * FRAME_RATE)), int(round(pe * FRAME_RATE))
        pedal[max(a, 0):min(b, T)] = 1
    return {"onset": onset, "frame": frame, "offset": offset, "velocity": velocity, "pedal": pedal}


def delay_labels(x, delay: int = OUTPUT_DELAY_FRAMES):
    """Labels [B, T, ...] (torch or numpy) -> the same labels seen `delay` frames later (zeros first)."""
    if delay == 0:
        return x
    out = x.clone() if hasattr(x, "clone") else x.copy()
    out[:, delay:] = x[:, :-delay]
    out[:, :delay] = 0
    return out


def undelay_posteriors(post: dict, delay: int = OUTPUT_DELAY_FRAMES) -> dict:
    """Posteriors [T, ...] from the model -> aligned with label time (drop the first `delay` frames,
    pad the end with zeros), for frame-level scoring and the Python decoders at time_offset_s 0."""
    if delay == 0:
        return post
    out = {}
    for k, v in post.items():
        pad = np.zeros((delay,) + v.shape[1:], v.dtype)
        out[k] = np.concatenate([v[delay:], pad], axis=0)
    return out
