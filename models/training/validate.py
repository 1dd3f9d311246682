"""Validation during training: decode cached validation clips and score them with mir_eval."""
from __future__ import annotations

import glob
import os

import numpy as np
import torch

from common import short_numpy, undelay_posteriors
from decode import DEFAULT_DECODING, decode_offline, decode_pedal, sounding_notes
from metrics import frame_metrics, note_metrics

HERE = os.path.dirname(os.path.abspath(__file__))
VAL_DIR = os.path.join(HERE, "work", "data", "val")
# The validation clips' audio (the caches hold log-mel only), for models with the short-onset branch:
# re-rendered by short_val_audio.py, which checks each against its cached log-mel.
VAL_AUDIO = os.environ.get("SEMINOTE_VAL_AUDIO", os.path.join(HERE, "work", "short-onset", "val-audio"))
_cache: list[dict] | None = None


def _load() -> list[dict]:
    global _cache
    if _cache is None:
        _cache = []
        for path in sorted(glob.glob(os.path.join(VAL_DIR, "*.npz"))):
            with np.load(path) as z:
                clip = {"mel": z["mel"].astype(np.float32), "notes": z["notes"], "frame": z["frame"]}
                if "short" in z:
                    clip["short"] = z["short"].astype(np.float32)
            wav = os.path.join(VAL_AUDIO, os.path.basename(path)[:-4] + ".npy")
            if "short" not in clip and os.path.exists(wav):
                clip["short"] = short_numpy(np.load(wav))
            _cache.append(clip)
    return _cache


@torch.no_grad()
def posteriors(model, mel: np.ndarray, short: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Posteriors aligned with label time (the model's output delay undone), decodable at time_offset_s 0.
    short: the clip's short-window features (common.short_numpy), needed by the short-onset branch."""
    if getattr(model, "short", None) is not None and short is None:
        raise SystemExit(f"the model has the short-onset branch, which reads audio: no validation audio in {VAL_AUDIO} "
                         f"(make it with short_val_audio.py, or set SEMINOTE_VAL_AUDIO)")
    lg = model.logits_trunk(torch.from_numpy(mel)[None], None if short is None else torch.from_numpy(short)[None])
    return undelay_posteriors({k: torch.sigmoid(v)[0].numpy() for k, v in lg.items()})


def validate(model, decoding: dict = DEFAULT_DECODING) -> dict[str, float]:
    sums: dict[str, list[float]] = {}
    for clip in _load():
        post = posteriors(model, clip["mel"], clip.get("short"))
        # Scored as sounding notes (extended by the decoded pedal), like the pedal-extended ground
        # truth and like evaluate.py; onset figures do not depend on the extension.
        notes = sounding_notes(decode_offline(post, decoding), decode_pedal(post["pedal"], decoding))
        m = note_metrics(clip["notes"], notes)
        m.update(frame_metrics(clip["frame"] > 0, post["frame"] >= decoding["frame_threshold"]))
        for k, v in m.items():
            sums.setdefault(k, []).append(v)
    keys = ("onset_f1", "onset_p", "onset_r", "onset_offset_f1", "onset_offset_velocity_f1", "frame_f1")
    return {k: float(np.mean(sums[k])) if k in sums else 0.0 for k in keys}
