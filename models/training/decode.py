"""Python reference decoder: posteriors -> notes and pedal events.

Implements docs/transcription-decoding.md exactly (offline peak picking, streaming state machine,
pedal runs), so reference.json can be compared note for note with the TypeScript decoder."""
from __future__ import annotations

import math

import numpy as np

from common import FRAME_RATE, PITCH_OFFSET

DEFAULT_DECODING = {
    "onset_threshold": 0.5,
    "frame_threshold": 0.5,
    "offset_threshold": 0.5,
    "pedal_threshold": 0.5,
    "note_off_frames": 2,
    "min_note_duration_s": 0.03,
    "min_retrigger_gap_s": 0.03,
    "min_pedal_duration_s": 0.05,
    "time_offset_s": 0.0,
}


def _derived(c: dict) -> tuple[int, int, int]:
    retrig = math.ceil(c["min_retrigger_gap_s"] * FRAME_RATE - 1e-9)
    pedal_min = max(1, math.ceil(c["min_pedal_duration_s"] * FRAME_RATE - 1e-9))
    return retrig, pedal_min, max(1, int(c["note_off_frames"]))


def _time(x: float, c: dict) -> float:
    # Clamped at 0: a negative time_offset_s (heads answering late) must not yield negative times
    # (docs/transcription-decoding.md §1; the TS decoders do the same).
    return max(0.0, x / FRAME_RATE + c["time_offset_s"])


def _vel(v: float) -> int:
    return min(127, max(1, int(math.floor(v * 127 + 0.5))))


def _parabola(a: float, b: float, c: float) -> float:
    den = a - 2 * b + c
    delta = 0.5 * (a - c) / den if den < 0 else 0.0
    return min(0.5, max(-0.5, delta))


def _is_peak(x: np.ndarray, t: int, thr: float) -> bool:
    prev = x[t - 1] if t > 0 else 0.0
    nxt = x[t + 1] if t + 1 < len(x) else 0.0
    return x[t] >= thr and x[t] > prev and x[t] >= nxt


def _pad3(x: np.ndarray, t: int) -> tuple[float, float, float]:
    return (float(x[t - 1]) if t > 0 else 0.0, float(x[t]), float(x[t + 1]) if t + 1 < len(x) else 0.0)


def decode_offline(post: dict[str, np.ndarray], c: dict = DEFAULT_DECODING) -> list[dict]:
    onset, frame, offset, velocity = (np.asarray(post[k], dtype=np.float64) for k in
                                      ("onset", "frame", "offset", "velocity"))
    T, K = onset.shape
    retrig, _, k_off = _derived(c)
    held = (frame >= c["frame_threshold"]) | (onset >= c["onset_threshold"])
    notes = []
    for k in range(K):
        o = onset[:, k]
        peaks: list[int] = []
        last = -10 ** 9
        for t in range(T):
            if _is_peak(o, t, c["onset_threshold"]) and t - last >= retrig:
                peaks.append(t)
                last = t
        onset_s = [_time(t + _parabola(*_pad3(o, t)), c) for t in peaks]
        off_k = offset[:, k]
        for i, t0 in enumerate(peaks):
            t_next = peaks[i + 1] if i + 1 < len(peaks) else T
            end = None
            t = t0 + 1
            while end is None:
                if t == t_next and t < T:
                    end = onset_s[i + 1]
                elif t >= T:
                    end = _time(T, c)
                elif _is_peak(off_k, t, c["offset_threshold"]):
                    end = _time(t + _parabola(*_pad3(off_k, t)), c)
                elif all(u >= T or not held[u, k] for u in range(t, t + k_off)):
                    end = _time(t, c)
                t += 1
            end = max(end, onset_s[i] + c["min_note_duration_s"])
            notes.append({"pitch": PITCH_OFFSET + k, "onset_s": onset_s[i], "offset_s": end,
                          "velocity": _vel(float(velocity[t0, k]))})
    notes.sort(key=lambda n: (n["onset_s"], n["pitch"]))
    return notes


def decode_pedal(pedal: np.ndarray, c: dict = DEFAULT_DECODING) -> list[dict]:
    p = np.asarray(pedal, dtype=np.float64).reshape(-1)
    _, pedal_min, _ = _derived(c)
    events, T, t = [], len(p), 0
    while t < T:
        if p[t] >= c["pedal_threshold"]:
            s = t
            while t < T and p[t] >= c["pedal_threshold"]:
                t += 1
            if t - s >= pedal_min:
                events.append({"time_s": _time(s, c), "value": 127})
                events.append({"time_s": _time(t, c), "value": 0})  # offline: the clip end closes it
        else:
            t += 1
    return events


def decode_streaming(post: dict[str, np.ndarray], c: dict = DEFAULT_DECODING) -> list[dict]:
    """Section 4 state machine run frame by frame; returns the closed notes after flush()."""
    onset, frame, offset, velocity = (np.asarray(post[k], dtype=np.float64) for k in
                                      ("onset", "frame", "offset", "velocity"))
    T, K = onset.shape
    retrig, _, k_off = _derived(c)
    active = [False] * K
    on_frame = [0] * K
    last_onset = [-10 ** 9] * K
    released = [0] * K
    prev_on = [0.0] * K
    prev_off = [0.0] * K
    open_note: list[dict | None] = [None] * K
    notes: list[dict] = []

    def close(k: int, t_s: float) -> None:
        n = open_note[k]
        n["offset_s"] = max(t_s, n["onset_s"] + c["min_note_duration_s"])
        notes.append(n)
        open_note[k] = None
        active[k] = False

    for t in range(T):
        for k in range(K):
            o, f, off = onset[t, k], frame[t, k], offset[t, k]
            if o >= c["onset_threshold"] and prev_on[k] < c["onset_threshold"] and t - last_onset[k] >= retrig:
                if active[k]:
                    close(k, _time(t, c))
                open_note[k] = {"pitch": PITCH_OFFSET + k, "onset_s": _time(t, c), "offset_s": None,
                                "velocity": _vel(float(velocity[t, k]))}
                active[k] = True
                on_frame[k] = last_onset[k] = t
                released[k] = 0
            else:
                if active[k] and t > on_frame[k] and off >= c["offset_threshold"] and prev_off[k] < c["offset_threshold"]:
                    close(k, _time(t, c))
                if active[k]:
                    held = f >= c["frame_threshold"] or o >= c["onset_threshold"]
                    released[k] = 0 if held else released[k] + 1
                    if released[k] == k_off:
                        close(k, _time(t - k_off + 1, c))
            prev_on[k], prev_off[k] = o, off
    for k in range(K):
        if active[k]:
            close(k, _time(T, c))
    notes.sort(key=lambda n: (n["onset_s"], n["pitch"]))
    return notes
