"""A small multi-sample piano: renders a Performance to 16 kHz mono through the Salamander Grand
Piano V3 (Yamaha C5, Alexander Holm, CC BY 3.0): 16 velocity layers of 30 notes (every minor third
A0-C8) plus one key-release noise per key, fetched by synth/fetch_salamander.sh.

  python -m synth.sampler prepare      # decode OGG, resample to 16 kHz, trim, cache as npy (once)
  python -m synth.sampler bench        # speed in x real time on a pedalled 60 s performance

Why a sampler rather than a soundfont synth: real recorded strings with natural decays, 16 dynamic
layers and release noises are the closest thing to a microphone recording that renders offline.

Label contract: a note's attack starts at round(onset * 16000) (each sample is trimmed so its attack
begins 2 ms after its first sample), and the sound is damped at the pedal-extended offset
(common.extend_by_pedal), so the labels written by build_dataset match what is heard."""
from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common import SAMPLE_RATE, extend_by_pedal  # noqa: E402
from synth.midi_io import Performance  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "work", "salamander")
CACHE = os.path.join(ROOT, "cache")
LAYERS = 16
SAMPLED_PITCHES = list(range(21, 109, 3))  # A0, C1, D#1, F#1, ... C8: 30 notes
NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
PRE_ATTACK_S = 0.002  # kept before the attack threshold so the transient is whole
MAX_SAMPLE_S = 12.0  # longer notes are rare; the cap keeps the cache ~140 MB
RESTRIKE_FADE_S = 0.03  # a re-struck string loses its old vibration quickly
LEVEL_WINDOW = int(0.2 * SAMPLE_RATE)  # loudness of a sample = RMS of its first 200 ms
# Keys up to E3 may be rendered with weak low partials (render(weak_bass=...)): small pianos,
# uprights and small microphones give little fundamental in the bass, and the held-out test timbre
# (freepats) plays A0-E1 with its strongest partials at 4 and 6 times f0 (docs/transcription-model.md).
WEAK_BASS_TOP = 52
WEAK_BASS_MAX_GAIN_DB = 12.0


def note_name(pitch: int) -> str:
    return f"{NAMES[pitch % 12]}{pitch // 12 - 1}"


def _level_db(x: np.ndarray) -> float:
    x = np.asarray(x[:LEVEL_WINDOW], np.float64)
    return float(10 * np.log10(np.mean(x ** 2) + 1e-12))


def _attack_start(x: np.ndarray, threshold: float = 0.1) -> int:
    """First sample where the 1 ms envelope reaches `threshold` of the early peak."""
    env = np.convolve(np.abs(x[: SAMPLE_RATE // 2]), np.ones(16) / 16, mode="same")
    return int(np.argmax(env >= threshold * env.max()))


def weaken_low_partials(voice: np.ndarray, pitch: int, ratio: float) -> np.ndarray:
    """The voice through a 2nd-order high-pass at ratio x its fundamental (ratio 2.5: the 1st and 2nd
    partials fall by ~18 and ~4 dB), levelled back to its own loudness (velocity labels mean
    loudness; at most +12 dB). scipy is imported here: the rest of the sampler is pure numpy."""
    from scipy import signal
    f0 = 440.0 * 2.0 ** ((pitch - 69) / 12.0)
    sos = signal.butter(2, min(ratio * f0, 0.45 * SAMPLE_RATE), "high", fs=SAMPLE_RATE, output="sos")
    out = signal.sosfilt(sos, voice)
    gain_db = min(WEAK_BASS_MAX_GAIN_DB, _level_db(voice) - _level_db(out))
    return out * 10 ** (gain_db / 20)


def _load_ogg(path: str) -> np.ndarray:
    import soundfile as sf
    from scipy.signal import resample_poly
    x, sr = sf.read(path, dtype="float32", always_2d=True)
    if sr != 48000:
        raise RuntimeError(f"{path}: expected 48 kHz, got {sr}")
    return resample_poly(x.mean(axis=1), 1, 3).astype(np.float32)


def prepare() -> None:
    """Raw OGG -> cache/notes.npy (float16, concatenated) + cache/index.json; releases likewise."""
    raw = os.path.join(ROOT, "raw")
    os.makedirs(CACHE, exist_ok=True)
    chunks, index, pos = [], [], 0
    max_len = int(MAX_SAMPLE_S * SAMPLE_RATE)
    fade = np.linspace(1.0, 0.0, int(0.3 * SAMPLE_RATE), dtype=np.float32)
    for layer in range(1, LAYERS + 1):
        for pitch in SAMPLED_PITCHES:
            path = os.path.join(raw, f"piano-velocity{layer}", "audio", f"{note_name(pitch)}v{layer}.ogg")
            if not os.path.exists(path):
                raise FileNotFoundError(f"{path} missing: run synth/fetch_salamander.sh")
            x = _load_ogg(path)
            x = x[max(0, _attack_start(x) - int(PRE_ATTACK_S * SAMPLE_RATE)):]
            peak = np.abs(x).max()
            above = np.nonzero(np.abs(x) > peak * 1e-3)[0]  # drop the tail below -60 dB
            x = x[: min(max_len, int(above[-1]) + 1)].copy()
            if len(x) == max_len:
                x[-len(fade):] *= fade
            chunks.append(x)
            index.append({"layer": layer, "pitch": pitch, "offset": pos, "length": len(x)})
            pos += len(x)
        print(f"layer {layer}/{LAYERS}: {pos / SAMPLE_RATE / 60:.1f} min of samples", flush=True)
    rel_chunks, rel_index, rpos = [], [], 0
    for k in range(1, 89):
        x = _load_ogg(os.path.join(raw, "piano-release", "audio", f"rel{k}.ogg"))
        x = x[max(0, _attack_start(x) - int(0.01 * SAMPLE_RATE)):]
        x = x / (np.abs(x).max() + 1e-9)
        rel_chunks.append(x.astype(np.float32))
        rel_index.append({"pitch": 20 + k, "offset": rpos, "length": len(x)})
        rpos += len(x)
    np.save(os.path.join(CACHE, ".notes.npy"), np.concatenate(chunks).astype(np.float16))
    np.save(os.path.join(CACHE, ".releases.npy"), np.concatenate(rel_chunks).astype(np.float16))
    with open(os.path.join(CACHE, ".index.json"), "w") as f:
        json.dump({"notes": index, "releases": rel_index, "sample_rate": SAMPLE_RATE}, f)
    for name in ("notes.npy", "releases.npy", "index.json"):  # index last: its presence means complete
        os.replace(os.path.join(CACHE, "." + name), os.path.join(CACHE, name))


class Sampler:
    def __init__(self, cache: str = CACHE):
        idx_path = os.path.join(cache, "index.json")
        if not os.path.exists(idx_path):
            raise FileNotFoundError(f"no Salamander cache at {cache}: run synth/fetch_salamander.sh")
        idx = json.load(open(idx_path))
        notes = np.load(os.path.join(cache, "notes.npy"), mmap_mode="r")
        rels = np.load(os.path.join(cache, "releases.npy"), mmap_mode="r")
        self.samples: dict[tuple[int, int], np.ndarray] = {
            (e["layer"], e["pitch"]): notes[e["offset"]:e["offset"] + e["length"]] for e in idx["notes"]}
        self.releases = {e["pitch"]: np.asarray(rels[e["offset"]:e["offset"] + e["length"]], np.float32)
                         for e in idx["releases"]}
        self.sampled = np.array(SAMPLED_PITCHES)
        self.layer_db = self._level_layers()

    def _level_layers(self) -> dict[tuple[int, int], float]:
        """Target level (dB, first 200 ms) of each sample: each key's 16 layers on a least-squares line.
        The recordings are not quite monotonic (C2's layer 16 is quieter than its layer 15), and velocity
        labels should mean loudness."""
        levels = {}
        layers = np.arange(1, LAYERS + 1)
        for pitch in SAMPLED_PITCHES:
            db = np.array([_level_db(self.samples[(k, pitch)]) for k in layers])
            fit = np.polyval(np.polyfit(layers, db, 1), layers)
            levels.update({(int(k), pitch): float(f) for k, f in zip(layers, fit)})
        return levels

    def _source(self, pitch: int, velocity: float, n_out: int) -> tuple[np.ndarray, float]:
        """Cross-faded layer mix of the nearest sampled note, long enough for n_out output samples,
        and the playback rate that re-pitches it (|shift| <= 1.5 semitones)."""
        base = int(self.sampled[np.argmin(np.abs(self.sampled - pitch))])
        rate = 2.0 ** ((pitch - base) / 12.0)
        layer_pos = (np.clip(velocity, 1, 127) - 1) / 126 * (LAYERS - 1)
        lo = int(np.floor(layer_pos))
        w = layer_pos - lo
        need = int(np.ceil(n_out * rate)) + 2
        a = self.samples[(lo + 1, base)]
        src = np.zeros(need, np.float32)
        m = min(need, len(a))
        src[:m] = a[:m] * (1.0 - w)
        target = self.layer_db[(lo + 1, base)]
        if w > 0:
            b = self.samples[(lo + 2, base)]
            mb = min(need, len(b))
            src[:mb] += b[:mb] * w
            target += w * (self.layer_db[(lo + 2, base)] - target)
        # two recordings mixed partly cancel: level the mix (not each layer) to the interpolated target
        level = _level_db(a[:LEVEL_WINDOW] * (1.0 - w) + (b[:LEVEL_WINDOW] * w if w > 0 else 0.0))
        src *= 10 ** ((target - level) / 20)
        return src, rate

    def render(self, perf: Performance, tail: float = 1.0, rng: np.random.Generator | None = None,
               weak_bass: float | None = None) -> np.ndarray:
        """float32 mono at 16 kHz, len = round((duration + tail) * 16000), attacks at the labelled onsets.
        weak_bass: a ratio (1.5-4.5 makes sense) that thins every key up to WEAK_BASS_TOP through
        weaken_low_partials, as one instrument and microphone would; None leaves the recording as is."""
        rng = rng if rng is not None else np.random.default_rng(0)
        n_total = int(round((perf.duration + tail) * SAMPLE_RATE))
        out = np.zeros(n_total, np.float64)
        notes = perf.notes
        if len(notes) == 0:
            return out.astype(np.float32)
        damp = extend_by_pedal(notes, perf.pedal)[:, 1]
        release_gain = float(rng.uniform(0.02, 0.08))  # damper noise level varies by instrument/microphone
        fade_scale = float(rng.uniform(0.8, 1.25))
        order = np.lexsort((notes[:, 0], notes[:, 2]))  # by pitch, then onset: finds re-strikes
        for j, i in enumerate(order):
            on, _, pitch, vel = notes[i]
            pitch = int(pitch)
            if not 21 <= pitch <= 108:
                continue
            nxt = order[j + 1] if j + 1 < len(order) else None
            next_on = notes[nxt, 0] if nxt is not None and int(notes[nxt, 2]) == pitch else np.inf
            a = int(round(on * SAMPLE_RATE))
            if a >= n_total:
                continue
            restruck = damp[i] >= next_on
            end_t = min(damp[i], next_on)
            fade_s = RESTRIKE_FADE_S if restruck else fade_scale * (0.06 + 0.09 * (108 - pitch) / 87)
            held = max(1, int(round(end_t * SAMPLE_RATE)) - a)
            n_fade = int(fade_s * SAMPLE_RATE)
            n = min(held + n_fade, n_total - a)
            src, rate = self._source(pitch, vel, n)
            if rate == 1.0:
                voice = src[:n].astype(np.float64)
            else:
                voice = np.interp(np.arange(n) * rate, np.arange(len(src)), src)
            if weak_bass is not None and pitch <= WEAK_BASS_TOP:
                voice = weaken_low_partials(voice, pitch, weak_bass)
            if n > held:  # damper: exponential fade to about -43 dB, then silence
                t = np.arange(n - held) / n_fade
                voice[held:] *= np.exp(-5.0 * t)
            # layers span ~19 dB; real pianos span ~30 dB from pp to ff
            gain = 10 ** (-12.0 * (1.0 - (vel - 1) / 126) / 20)
            out[a:a + n] += voice * gain
            r = a + held
            if not restruck and r < n_total:
                rel = self.releases[pitch]
                m = min(len(rel), n_total - r)
                out[r:r + m] += rel[:m] * gain * release_gain * (0.4 + 0.6 * vel / 127)
        return out.astype(np.float32)


_instance: Sampler | None = None


def render_batch(perfs: list[Performance], tail: float = 1.0, seed: int = 0) -> list[np.ndarray]:
    global _instance
    if _instance is None:
        _instance = Sampler()
    rng = np.random.default_rng(seed)
    return [_instance.render(p, tail, rng) for p in perfs]


def bench() -> None:
    rng = np.random.default_rng(1)
    from synth import procedural
    perf = procedural.generate(rng, 60.0)
    perf = Performance(perf.notes, [(s, s + 1.5) for s in np.arange(0.0, 58.0, 2.0)])
    s = Sampler()
    s.render(perf)  # warm the page cache
    t0 = time.perf_counter()
    audio = s.render(perf)
    dt = time.perf_counter() - t0
    print(f"{len(perf.notes)} notes, {len(audio) / SAMPLE_RATE:.1f} s audio in {dt:.2f} s: "
          f"{len(audio) / SAMPLE_RATE / dt:.0f}x real time (one core)")


if __name__ == "__main__":
    {"prepare": prepare, "bench": bench}[sys.argv[1]]()
