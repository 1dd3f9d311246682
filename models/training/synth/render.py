"""Render performances to 16 kHz mono audio through FluidSynth soundfonts, timidity+freepats or the
Salamander sampler (synth/sampler.py).

Held-out timbres (HELD_OUT_TIMBRES) render test sets only: freepats (work/data/test) and csound
(work/data/test_csound, the public-domain EMU8000 "GM GS Bank" sf_GMbank.sf2 from Debian's
csound-soundfont, through FluidSynth like the training soundfonts). Neither may ever be used for
training or validation (tests/test_timbres.py).

Many segments are rendered per synthesiser call (one long MIDI with silent gaps) because loading a
large soundfont costs more than rendering a segment."""
from __future__ import annotations

import os
import subprocess
import tempfile

import numpy as np
import soundfile as sf

from common import SAMPLE_RATE
from synth import sampler
from synth.midi_io import Performance, write_midi

SF2_DIR = "/usr/share/sounds/sf2"
# name -> (synth, path, GM programs that are acoustic pianos in it)
TIMBRES = {
    "fluidr3": ("fluidsynth", f"{SF2_DIR}/FluidR3_GM.sf2", [0, 1]),
    "musescore": ("fluidsynth", f"{SF2_DIR}/MuseScore_General_Full.sf2", [0, 1]),
    "timgm6mb": ("fluidsynth", f"{SF2_DIR}/TimGM6mb.sf2", [0, 1]),
    "freepats": ("timidity", "/etc/timidity/freepats.cfg", [0]),  # held out of training
    # second held-out timbre (apt-get install csound-soundfont): "GM GS Bank" (EMU8000), public domain
    "csound": ("fluidsynth", f"{SF2_DIR}/sf_GMbank.sf2", [0]),  # held out of training
    # recorded grand piano (fetch with synth/fetch_salamander.sh); the "path" is the name the manifest shows
    "salamander": ("sampler", "Salamander Grand Piano V3 (Yamaha C5; CC BY 3.0 Alexander Holm)", [0]),
}
SOUNDFONT_TIMBRES = ["fluidr3", "musescore", "timgm6mb"]
TRAIN_TIMBRES = SOUNDFONT_TIMBRES + ["salamander"]
HELD_OUT_TIMBRE = "freepats"  # the first test set's (work/data/test)
HELD_OUT_TIMBRES = ["freepats", "csound"]  # test only, never training or validation
GAP = 4.0  # silence between concatenated segments, long enough for release tails


def _run(cmd: list[str]) -> None:
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if res.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed (exit {res.returncode}): {res.stderr.decode(errors='replace')[-500:]}")


def render_batch(perfs: list[Performance], timbre: str, program: int, tail: float = 1.0,
                 seed: int = 0) -> list[np.ndarray]:
    """Returns one float32 mono clip per performance, each len = (duration + tail) * SAMPLE_RATE.
    seed only varies the sampler (release-noise level, damper speed); synthesisers are deterministic."""
    synth, path, _ = TIMBRES[timbre]
    if synth == "sampler":
        return sampler.render_batch(perfs, tail, seed)
    starts, t = [], 0.5
    notes, pedal = [], []
    for p in perfs:
        starts.append(t)
        if len(p.notes):
            n = p.notes.copy()
            n[:, :2] += t
            notes.append(n)
        pedal += [(s + t, e + t) for s, e in p.pedal]
        t += p.duration + GAP
    big = Performance(np.concatenate(notes) if notes else np.zeros((0, 4)), pedal)
    with tempfile.TemporaryDirectory() as tmp:
        mid, wav = os.path.join(tmp, "in.mid"), os.path.join(tmp, "out.wav")
        write_midi(big, mid, program=program, tail=GAP)
        if synth == "fluidsynth":
            _run(["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-g", "0.5", "-r", str(SAMPLE_RATE),
                  "-o", "synth.polyphony=256", "-F", wav, path, mid])
        else:
            _run(["timidity", "-c", path, "-Ow", "--output-mono", "-s", str(SAMPLE_RATE),
                  "-EFreverb=0", "-EFchorus=0", "--preserve-silence", "-o", wav, mid])
        audio, sr = sf.read(wav, dtype="float32", always_2d=True)
    assert sr == SAMPLE_RATE, sr
    audio = audio.mean(axis=1)
    out = []
    for s, p in zip(starts, perfs):
        a = int(round(s * SAMPLE_RATE))
        b = a + int(round((p.duration + tail) * SAMPLE_RATE))
        clip = audio[a:b]
        out.append(np.pad(clip, (0, max(0, b - a - len(clip)))).astype(np.float32))
    return out
