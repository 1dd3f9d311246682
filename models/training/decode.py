"""Python reference decoder: posteriors -> notes and pedal events.

Implements docs/transcription-decoding.md exactly (offline peak picking, streaming state machine,
pedal runs), so reference.json can be compared note for note with the TypeScript decoder."""
from __future__ import annotations

import math

import numpy as np

from common import FRAME_RATE, PITCH_OFFSET, extend_by_pedal

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
    # §3.4 rule 3 / §4 step 3: no release ends a note within this time of its onset frame.
    # §3.1b: onset peaks below harmonic_max_onset beside a stronger related key (harmonic /
    # sub-octave) are dropped. Both are off here so that training validation (validate.py) keeps
    # scoring checkpoints the same way throughout a run; export.tune_thresholds turns them on
    # when validation says so (0.2.0: min_hold_s 0.03, harmonic_max_onset 0.8).
    "min_hold_s": 0.0,
    "harmonic_max_onset": 0.0,
    "harmonic_window_s": 0.02,
    # §3.1b: onset peaks below semitone_max_onset beside a stronger neighbour key (+-1: leakage of a
    # loud note into the next key) are dropped; off here for the same reason (tuned at export).
    "semitone_max_onset": 0.0,
    # §4 effective onset: the streaming decoder's causal form of §3.1b (1 = on; tuned at export).
    "streaming_suppression": 0,
    # Added to pedal event times on top of time_offset_s: the pedal head's own lag (spec §1).
    "pedal_time_offset_s": 0.0,
    # §3.1c frame-rise onsets (offline only): in keys up to frame_onset_max_pitch (MIDI; 0 = off), a
    # frame posterior rising from below frame_onset_low to frame_onset_high within
    # frame_onset_rise_frames, and staying at or above 0.8 x frame_onset_high for
    # frame_onset_confirm_frames, starts a note where no onset peak of that key lies within
    # frame_onset_window_s. Off here; picked on validation (stop 17).
    "frame_onset_max_pitch": 0,
    "frame_onset_low": 0.2,
    "frame_onset_high": 0.6,
    "frame_onset_rise_frames": 4,
    "frame_onset_confirm_frames": 10,
    "frame_onset_window_s": 0.05,
}
# Keys a fundamental k - i would make k a harmonic of (octave, twelfth, double octave), and k + 12
# (k a sub-octave ghost of the upper octave): docs/transcription-decoding.md §3.1b.
HARMONIC_RELATED = (-12, -19, -24, 12)
SEMITONE_RELATED = (-1, 1)
# Keys added after the first manifests: absent = the rule off, as those manifests were decoded (spec §2).
LATER_KEYS_OFF = {"min_hold_s": 0.0, "harmonic_max_onset": 0.0, "harmonic_window_s": 0.0, "semitone_max_onset": 0.0,
                  "streaming_suppression": 0, "pedal_time_offset_s": 0.0,
                  "frame_onset_max_pitch": 0, "frame_onset_low": 0.0, "frame_onset_high": 1.0,
                  "frame_onset_rise_frames": 1, "frame_onset_confirm_frames": 1, "frame_onset_window_s": 0.0}
# Share of frame_onset_high the frame posterior must keep through the confirmation frames (§3.1c).
FRAME_ONSET_KEEP = 0.8


def _derived(c: dict) -> tuple[int, int, int]:
    retrig = math.ceil(c["min_retrigger_gap_s"] * FRAME_RATE - 1e-9)
    pedal_min = max(1, math.ceil(c["min_pedal_duration_s"] * FRAME_RATE - 1e-9))
    return retrig, pedal_min, max(1, int(c["note_off_frames"]))


def _frames(seconds: float) -> int:
    return math.ceil(seconds * FRAME_RATE - 1e-9)


def _time(x: float, c: dict) -> float:
    # Clamped at 0: a negative time_offset_s (heads answering late) must not yield negative times
    # (docs/transcription-decoding.md §1; the TS decoders do the same).
    return max(0.0, x / FRAME_RATE + c["time_offset_s"])


def _pedal_time(x: float, c: dict) -> float:
    # Same order of additions as the TS pedalTime, so both round identically.
    return max(0.0, x / FRAME_RATE + c["time_offset_s"] + c["pedal_time_offset_s"])


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


def _onset_peaks(onset: np.ndarray, c: dict) -> list[list[int]]:
    """§3.1: accepted onset peak frames per key."""
    retrig = _derived(c)[0]
    out = []
    for k in range(onset.shape[1]):
        o = onset[:, k]
        peaks: list[int] = []
        last = -10 ** 9
        for t in np.flatnonzero(o >= c["onset_threshold"]):  # the others cannot be peaks
            t = int(t)
            if _is_peak(o, t, c["onset_threshold"]) and t - last >= retrig:
                peaks.append(t)
                last = t
        out.append(peaks)
    return out


def suppress_harmonics(onset: np.ndarray, peaks: list[list[int]], c: dict) -> list[list[int]]:
    """§3.1b: drop a peak below harmonic_max_onset when a harmonically related key has a peak at least
    as strong within harmonic_frames, and a peak below semitone_max_onset when a neighbour key does;
    compared against the unsuppressed peaks (order independent)."""
    w = _frames(c["harmonic_window_s"])
    K = len(peaks)

    def stronger(k: int, t: int, v: float, offsets) -> bool:
        return any(abs(u - t) <= w and onset[u, j] >= v
                   for d in offsets if 0 <= (j := k + d) < K for u in peaks[j])

    out = []
    for k in range(K):
        keep = []
        for t in peaks[k]:
            v = onset[t, k]
            drop = (v < c["harmonic_max_onset"] and stronger(k, t, v, HARMONIC_RELATED)) or \
                   (v < c["semitone_max_onset"] and stronger(k, t, v, SEMITONE_RELATED))
            if not drop:
                keep.append(t)
        out.append(keep)
    return out


def frame_rise_onsets(frame: np.ndarray, peaks: list[int], c: dict) -> list[int]:
    """§3.1c: onset frames of one key read from its frame posterior where the onset head has no peak
    (the bass the onset head misses though the frame head hears it: docs/transcription-model.md)."""
    lo, hi, rise = c["frame_onset_low"], c["frame_onset_high"], int(c["frame_onset_rise_frames"])
    confirm, window = int(c["frame_onset_confirm_frames"]), _frames(c["frame_onset_window_s"])
    T = len(frame)
    taken = list(peaks)
    out: list[int] = []
    t = rise
    while t < T:
        if frame[t] >= hi and frame[t - rise:t].min() < lo:
            seg = frame[t - rise:t + 1]
            t0 = t - rise + int(np.argmax(seg >= (lo + hi) / 2))
            if frame[t:t + confirm].min() >= FRAME_ONSET_KEEP * hi and all(abs(u - t0) > window for u in taken):
                out.append(t0)
                taken.append(t0)
            while t < T and frame[t] >= lo:
                t += 1
        t += 1
    return out


def decode_offline(post: dict[str, np.ndarray], c: dict = DEFAULT_DECODING) -> list[dict]:
    c = {**LATER_KEYS_OFF, **c}
    onset, frame, offset, velocity = (np.asarray(post[k], dtype=np.float64) for k in
                                      ("onset", "frame", "offset", "velocity"))
    T, K = onset.shape
    _, _, k_off = _derived(c)
    hold = _frames(c["min_hold_s"])
    held = (frame >= c["frame_threshold"]) | (onset >= c["onset_threshold"])
    all_peaks = suppress_harmonics(onset, _onset_peaks(onset, c), c)
    notes = []
    for k in range(K):
        o = onset[:, k]
        peaks = all_peaks[k]
        rises = frame_rise_onsets(frame[:, k], peaks, c) if PITCH_OFFSET + k <= c["frame_onset_max_pitch"] else []
        if rises:
            peaks = sorted(peaks + rises)
        if not peaks:
            continue
        # A frame-rise onset is a frame, not a peak: no sub-frame interpolation.
        onset_s = [_time(t + (0.0 if t in rises else _parabola(*_pad3(o, t))), c) for t in peaks]
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
                elif t > t0 + hold and all(u >= T or not held[u, k] for u in range(t, t + k_off)):
                    end = _time(t, c)
                t += 1
            end = max(end, onset_s[i] + c["min_note_duration_s"])
            notes.append({"pitch": PITCH_OFFSET + k, "onset_s": onset_s[i], "offset_s": end,
                          "velocity": _vel(float(velocity[t0, k]))})
    notes.sort(key=lambda n: (n["onset_s"], n["pitch"]))
    return notes


def sounding_notes(notes: list[dict], pedal_events: list[dict]) -> list[dict]:
    """Notes extended by the decoded sustain pedal exactly as the ground truth is (spec §4
    "Sounding notes"; common.extend_by_pedal; TS extendOffsetsByPedal): the estimate that
    with-offset metrics compare with pedal-extended references."""
    if not notes:
        return []
    runs, down = [], None
    for e in pedal_events:
        if e["value"] >= 64 and down is None:
            down = e["time_s"]
        elif e["value"] < 64 and down is not None:
            if e["time_s"] > down:
                runs.append((down, e["time_s"]))
            down = None
    arr = np.array([[n["onset_s"], n["offset_s"], n["pitch"], n["velocity"]] for n in notes], np.float64)
    ext = extend_by_pedal(arr, runs)
    return [{**n, "offset_s": float(e[1])} for n, e in zip(notes, ext)]


def decode_pedal(pedal: np.ndarray, c: dict = DEFAULT_DECODING) -> list[dict]:
    c = {**LATER_KEYS_OFF, **c}
    p = np.asarray(pedal, dtype=np.float64).reshape(-1)
    _, pedal_min, _ = _derived(c)
    events, T, t = [], len(p), 0
    while t < T:
        if p[t] >= c["pedal_threshold"]:
            s = t
            while t < T and p[t] >= c["pedal_threshold"]:
                t += 1
            if t - s >= pedal_min:
                events.append({"time_s": _pedal_time(s, c), "value": 127})
                events.append({"time_s": _pedal_time(t, c), "value": 0})  # offline: the clip end closes it
        else:
            t += 1
    return events


def effective_onset(onset: np.ndarray, c: dict) -> np.ndarray:
    """§4 effective onset: 0 where a weaker onset sits beside a related key firing at least as
    strongly in the last harmonic_frames frames (the causal form of §3.1b); frames <= t only."""
    if not c["streaming_suppression"]:
        return onset
    T, K = onset.shape
    w = _frames(c["harmonic_window_s"])
    firing = np.where(onset >= c["onset_threshold"], onset, 0.0)
    recent = firing.copy()
    for d in range(1, w + 1):
        recent[d:] = np.maximum(recent[d:], firing[:T - d])
    drop = np.zeros((T, K), bool)
    for offsets, top in ((HARMONIC_RELATED, c["harmonic_max_onset"]), (SEMITONE_RELATED, c["semitone_max_onset"])):
        related = np.zeros_like(onset)
        for d in offsets:
            if d > 0:
                related[:, :K - d] = np.maximum(related[:, :K - d], recent[:, d:])
            else:
                related[:, -d:] = np.maximum(related[:, -d:], recent[:, :K + d])
        drop |= (onset < top) & (related >= onset)
    return np.where(drop, 0.0, onset)


class StreamingFrameRise:
    """§3.1c read frame by frame for one key (spec §4; the TS twin is StreamingFrameRise in
    src/core/transcription/frame-rise-onsets.ts): accepted once the confirmation frames have passed;
    any onset of the key at or after start - window cancels it."""

    def __init__(self, c: dict):
        self.c = c
        self.window = _frames(c["frame_onset_window_s"])
        self.frames: list[float] = []
        self.velocities: list[float] = []
        self.waiting_for_fall = False
        self.pending: tuple[int, int, float] | None = None  # (start, detected, velocity posterior)

    def push(self, t: int, f: float, v: float, last_onset: int) -> tuple[int, float] | None:
        lo, hi = self.c["frame_onset_low"], self.c["frame_onset_high"]
        rise, confirm = int(self.c["frame_onset_rise_frames"]), int(self.c["frame_onset_confirm_frames"])
        accepted = None
        if self.pending and f < FRAME_ONSET_KEEP * hi:
            self.pending = None
        if self.waiting_for_fall:
            if f < lo:
                self.waiting_for_fall = False
        elif t >= rise and f >= hi and min(self.frames) < lo:
            window = self.frames + [f]
            i = next(j for j, x in enumerate(window) if x >= (lo + hi) / 2)
            self.pending = (t - rise + i, t, (self.velocities + [v])[i])
            self.waiting_for_fall = True
        if self.pending and t - self.pending[1] + 1 >= confirm:
            accepted = self._settle(last_onset)
        self.frames.append(f)
        self.velocities.append(v)
        if len(self.frames) > rise:
            self.frames.pop(0)
            self.velocities.pop(0)
        return accepted

    def flush(self, last_onset: int) -> tuple[int, float] | None:
        return self._settle(last_onset) if self.pending else None

    def _settle(self, last_onset: int) -> tuple[int, float] | None:
        start, _, v = self.pending
        self.pending = None
        return None if last_onset >= start - self.window else (start, v)


def decode_streaming(post: dict[str, np.ndarray], c: dict = DEFAULT_DECODING) -> list[dict]:
    """Section 4 state machine run frame by frame; returns the closed notes after flush()."""
    c = {**LATER_KEYS_OFF, **c}
    onset, frame, offset, velocity = (np.asarray(post[k], dtype=np.float64) for k in
                                      ("onset", "frame", "offset", "velocity"))
    onset = effective_onset(onset, c)
    T, K = onset.shape
    retrig, _, k_off = _derived(c)
    hold = _frames(c["min_hold_s"])
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

    rises = [StreamingFrameRise(c) if 0 < c["frame_onset_max_pitch"] and PITCH_OFFSET + k <= c["frame_onset_max_pitch"]
             else None for k in range(K)]

    last_on_s = [0.0]  # latest note-on stamp: a late frame-rise note-on is never stamped before it

    def start_rise(k: int, accepted: tuple[int, float]) -> None:
        t0, v = accepted
        on_s = max(_time(t0, c), last_on_s[0])
        last_on_s[0] = on_s
        if active[k]:
            close(k, on_s)
        open_note[k] = {"pitch": PITCH_OFFSET + k, "onset_s": on_s, "offset_s": None, "velocity": _vel(float(v))}
        active[k] = True
        on_frame[k] = last_onset[k] = t0
        released[k] = 0

    for t in range(T):
        for k in range(K):
            o, f, off = onset[t, k], frame[t, k], offset[t, k]
            if o >= c["onset_threshold"] and prev_on[k] < c["onset_threshold"] and t - last_onset[k] >= retrig:
                if active[k]:
                    close(k, _time(t, c))
                open_note[k] = {"pitch": PITCH_OFFSET + k, "onset_s": _time(t, c), "offset_s": None,
                                "velocity": _vel(float(velocity[t, k]))}
                last_on_s[0] = max(last_on_s[0], _time(t, c))
                active[k] = True
                on_frame[k] = last_onset[k] = t
                released[k] = 0
            else:
                if active[k] and t > on_frame[k] and off >= c["offset_threshold"] and prev_off[k] < c["offset_threshold"]:
                    close(k, _time(t, c))
                if active[k] and t > on_frame[k] + hold:
                    held = f >= c["frame_threshold"] or o >= c["onset_threshold"]
                    released[k] = 0 if held else released[k] + 1
                    if released[k] == k_off:
                        close(k, _time(t - k_off + 1, c))
            prev_on[k], prev_off[k] = o, off
            if rises[k] is not None and (acc := rises[k].push(t, f, float(velocity[t, k]), last_onset[k])):
                start_rise(k, acc)
    for k in range(K):
        if rises[k] is not None and (acc := rises[k].flush(last_onset[k])):
            start_rise(k, acc)
        if active[k]:
            close(k, _time(T, c))
    notes.sort(key=lambda n: (n["onset_s"], n["pitch"]))
    return notes
