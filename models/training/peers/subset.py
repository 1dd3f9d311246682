"""The test clips a peer comparison runs on: the first N of each group/condition, spread evenly.
Shared by the peer runner (in the peer's own venv) and the scorer, so both see the same clips."""
from __future__ import annotations

import glob
import os


def select(test_dir: str, per_group: int) -> list[str]:
    """Clip names (no extension) from test_dir/wav, `per_group` per '<group>_<condition>' prefix."""
    names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(test_dir, "wav", "*.wav")))
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(n.rsplit("_", 1)[0], []).append(n)
    out: list[str] = []
    for g in sorted(groups):
        items = groups[g]
        step = max(1, len(items) // per_group)
        out.extend(items[::step][:per_group])
    return out
