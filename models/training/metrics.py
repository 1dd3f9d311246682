"""mir_eval note and frame metrics shared by validation and evaluation."""
from __future__ import annotations

import mir_eval
import numpy as np

from common import FRAME_RATE


def _arrays(notes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """notes: list of decoder dicts or [N, 4] array (on, off, pitch, vel)."""
    if isinstance(notes, np.ndarray):
        arr = notes.reshape(-1, 4)
        iv, p, v = arr[:, :2].astype(np.float64), arr[:, 2], arr[:, 3]
    else:
        iv = np.array([[n["onset_s"], n["offset_s"]] for n in notes], dtype=np.float64).reshape(-1, 2)
        p = np.array([n["pitch"] for n in notes], dtype=np.float64)
        v = np.array([n["velocity"] for n in notes], dtype=np.float64)
    iv[:, 1] = np.maximum(iv[:, 1], iv[:, 0] + 1e-3)  # mir_eval rejects zero-length intervals
    hz = mir_eval.util.midi_to_hz(p) if len(p) else np.zeros(0)
    return iv, hz, v


def note_metrics(ref, est) -> dict[str, float]:
    """Onset-only, onset+offset and onset+offset+velocity P/R/F1 (mir_eval defaults: 50 ms onsets,
    offsets within 20 % of the duration or 50 ms, velocity within 0.1 after per-piece rescaling)."""
    ri, rp, rv = _arrays(ref)
    ei, ep, ev = _arrays(est)
    out: dict[str, float] = {}
    if len(ri) == 0 or len(ei) == 0:
        for k in ("onset", "onset_offset", "onset_offset_velocity"):
            out[f"{k}_p"], out[f"{k}_r"], out[f"{k}_f1"] = 0.0, 0.0, 0.0
        return out
    p, r, f, _ = mir_eval.transcription.precision_recall_f1_overlap(ri, rp, ei, ep, offset_ratio=None)
    out.update(onset_p=p, onset_r=r, onset_f1=f)
    p, r, f, _ = mir_eval.transcription.precision_recall_f1_overlap(ri, rp, ei, ep)
    out.update(onset_offset_p=p, onset_offset_r=r, onset_offset_f1=f)
    p, r, f, _ = mir_eval.transcription_velocity.precision_recall_f1_overlap(ri, rp, rv, ei, ep, ev)
    out.update(onset_offset_velocity_p=p, onset_offset_velocity_r=r, onset_offset_velocity_f1=f)
    return out


def frame_metrics(ref_roll: np.ndarray, est_roll: np.ndarray) -> dict[str, float]:
    """Frame-level P/R/F1 over [T, 88] binary piano rolls (mir_eval.multipitch counting)."""
    tp = float(np.logical_and(ref_roll, est_roll).sum())
    n_ref, n_est = float(ref_roll.sum()), float(est_roll.sum())
    p = tp / n_est if n_est else 0.0
    r = tp / n_ref if n_ref else 0.0
    return {"frame_p": p, "frame_r": r, "frame_f1": 2 * p * r / (p + r) if p + r else 0.0}


def notes_to_roll(notes: list[dict], T: int) -> np.ndarray:
    roll = np.zeros((T, 88), bool)
    for n in notes:
        a, b = int(round(n["onset_s"] * FRAME_RATE)), int(round(n["offset_s"] * FRAME_RATE))
        k = n["pitch"] - 21
        if 0 <= k < 88:
            roll[max(a, 0):max(b, a + 1), k] = True
    return roll
