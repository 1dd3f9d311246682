"""Performance-MIDI sources by path, with the composer/piece split that keeps test music unseen."""
from __future__ import annotations

import glob
import os

DATA = os.environ.get("SEMINOTE_DATA", os.path.join(os.path.dirname(__file__), "../../../../shared/data"))

# Whole composers held out of training: validation and test music is never trained on.
VAL_COMPOSERS = ["Rachmaninoff", "Balakirev"]
TEST_COMPOSERS = ["Scriabin", "Debussy", "Brahms", "Glinka"]  # plus all of vienna4x22 (Chopin, Schubert, Mozart K331)
TEST_VIENNA_PERFORMERS = ["p01", "p08", "p15"]


def _nasap(composers_in: list[str] | None, composers_out: list[str]) -> list[str]:
    files = sorted(glob.glob(os.path.join(DATA, "nasap", "**", "*.mid"), recursive=True))
    files = [f for f in files if os.path.basename(f) != "midi_score.mid"]
    comp = lambda f: os.path.relpath(f, os.path.join(DATA, "nasap")).split(os.sep)[0]
    if composers_in is not None:
        files = [f for f in files if comp(f) in composers_in]
    return [f for f in files if comp(f) not in composers_out]


def train_files() -> list[str]:
    nasap = _nasap(None, VAL_COMPOSERS + TEST_COMPOSERS)
    batik = sorted(glob.glob(os.path.join(DATA, "batik_plays_mozart", "midi", "*.mid")))
    return nasap + batik


def val_files() -> list[str]:
    return _nasap(VAL_COMPOSERS, [])


def test_files() -> list[str]:
    vienna = sorted(glob.glob(os.path.join(DATA, "vienna4x22", "midi", "*.mid")))
    vienna = [f for f in vienna if any(f.endswith(f"_{p}.mid") for p in TEST_VIENNA_PERFORMERS)]
    return _nasap(TEST_COMPOSERS, []) + vienna
