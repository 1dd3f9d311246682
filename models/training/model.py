"""Streaming piano transcriber: in-graph log-mel front end -> causal conv stack -> GRU -> heads.

Causality: convolutions pad on the left in time only and pool in frequency only; the GRU is
unidirectional. Look-ahead therefore comes from the front end alone: frame t's window ends one
hop after the frame's time (see common.py).

Two entry points share the weights:
  forward(audio)                 offline: [B, S] -> dict of [B, T, 88] posteriors (+ pedal [B, T, 1])
  step(audio, ctx, caches..., h) streaming: n hops of new audio + carried state -> n frames + new state
With zero initial state the step path reproduces the offline path exactly (checked in export.py).
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import (CONTEXT_SAMPLES, F_MAX, F_MIN, HOP, KEYS, LOG_EPS, N_FFT, N_MELS, PITCH_OFFSET, SHORT_BANDS,
                    SHORT_N, asymmetric_window, hz_to_mel, mel_filterbank, short_band_centres_hz, short_filterbank,
                    short_window)

# Fixed affine scaling of log-mel so that typical values sit near [-1, 1] (zero padding = mid level).
FEAT_SHIFT = 6.0
FEAT_SCALE = 0.25


class LogMel(nn.Module):
    """STFT as a Conv1d whose window x DFT weights are generated in-graph from the window and an
    integer phase table (exact angles via integer modulo), so the ONNX file stays small; onnxruntime
    constant-folds the kernel once at session creation."""

    def __init__(self):
        super().__init__()
        n_bins = N_FFT // 2 + 1
        self.register_buffer("window", torch.tensor(asymmetric_window(), dtype=torch.float32))
        self.register_buffer("k_idx", torch.arange(n_bins, dtype=torch.int64).unsqueeze(1))
        self.register_buffer("n_idx", torch.arange(N_FFT, dtype=torch.int64).unsqueeze(0))
        self.register_buffer("mel", torch.tensor(mel_filterbank(), dtype=torch.float32))

    def kernel(self) -> torch.Tensor:
        phase = torch.remainder(self.k_idx * self.n_idx, N_FFT).to(torch.float32) * (2.0 * math.pi / N_FFT)
        re = torch.cos(phase) * self.window
        im = torch.sin(phase) * self.window
        return torch.cat([re, im], dim=0).unsqueeze(1)  # [2*bins, 1, N_FFT]

    def forward(self, audio_with_context: torch.Tensor) -> torch.Tensor:
        """[B, CONTEXT_SAMPLES + T*HOP] -> [B, T, N_MELS] log-mel."""
        spec = F.conv1d(audio_with_context.unsqueeze(1), self.kernel(), stride=HOP)
        n_bins = N_FFT // 2 + 1
        power = spec[:, :n_bins] ** 2 + spec[:, n_bins:] ** 2  # [B, bins, T]
        mel = torch.matmul(self.mel, power)  # [B, mels, T]
        return torch.log(mel + LOG_EPS).transpose(1, 2)


class CausalConvBlock(nn.Module):
    """3x3 conv, time-causal (2 frames of left context), then BN, ReLU and optional freq pooling."""

    def __init__(self, cin: int, cout: int, pool: bool):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, (3, 3), padding=(0, 1))
        self.bn = nn.BatchNorm2d(cout)
        self.pool = pool

    def forward(self, x_with_ctx: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.bn(self.conv(x_with_ctx)))
        return F.max_pool2d(y, (1, 2)) if self.pool else y


# Partials the key branch reads, as multiples of each key's fundamental: the sub-harmonics (0.5, 1.5)
# are there so that a key can tell itself from the key an octave below, whose odd partials they are.
KEY_PARTIALS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)


def _mel_interpolation(freqs_hz: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """For each frequency: the two mel bins around it and their linear interpolation weights ([2 N]
    indices and weights); frequencies outside the mel range get weight 0."""
    mel_pts = np.linspace(hz_to_mel(F_MIN), hz_to_mel(F_MAX), N_MELS + 2)
    centre0, spacing = mel_pts[1], mel_pts[1] - mel_pts[0]
    idx, wts = [], []
    for f in freqs_hz:
        pos = (hz_to_mel(f) - centre0) / spacing
        if pos < 0 or pos > N_MELS - 1:
            idx += [0, 0]; wts += [0.0, 0.0]
            continue
        lo = min(int(np.floor(pos)), N_MELS - 2)
        frac = pos - lo
        idx += [lo, lo + 1]; wts += [1.0 - frac, frac]
    return np.array(idx, dtype=np.int64), np.array(wts, dtype=np.float32)


def key_f0(k: int) -> float:
    return 440.0 * 2.0 ** ((PITCH_OFFSET + k - 69) / 12.0)


def partial_gather() -> tuple[np.ndarray, np.ndarray]:
    """For every (key, partial): the two mel bins around the partial's frequency and their linear
    interpolation weights ([KEYS * P * 2] indices and weights); partials outside the mel range get
    weight 0. At low frequencies a mel bin here is about one DFT bin wide (~7.5 Hz), so the log-mel
    keeps the resolution the bass needs; it is only spread across the frequency axis."""
    return _mel_interpolation([key_f0(k) * mult for k in range(KEYS) for mult in KEY_PARTIALS])


def gather_interpolated(x: torch.Tensor, idx: torch.Tensor, wts: torch.Tensor) -> torch.Tensor:
    """x [B, T, N_MELS], idx / wts [2 N] (pairs of mel bins and their weights) -> [B, T, N].
    Gathered along the leading axis of the transposed input, whole rows of B*T values per index:
    onnxruntime's Gather on the last axis copies value by value (the contrast branch's gather alone
    took 9 % of offline inference that way); the arithmetic is the same either way."""
    B, T, _ = x.shape
    rows = torch.index_select(x.reshape(B * T, N_MELS).t(), 0, idx).reshape(-1, 2, B * T)
    return (rows * wts.reshape(-1, 2, 1)).sum(1).t().reshape(B, T, -1)


class PerKeyMLP(nn.Module):
    """The small MLP the per-key branches share in shape: one set of weights for all 88 keys plus a
    learned per-key offset, output layer zero so a grown model first computes what its source did.
    Subclasses call init_mlp where their layers were created before this class existed, so the
    parameter names and their order (checkpoints, optimizer state) are unchanged."""

    def init_mlp(self, n_in: int, width: int, n_out: int) -> None:
        self.inp = nn.Linear(n_in, width)
        self.key_bias = nn.Parameter(torch.zeros(KEYS, width))
        self.hid = nn.Linear(width, width)
        self.out = nn.Linear(width, n_out)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def mlp(self, feats: torch.Tensor) -> torch.Tensor:
        # one broadcast add of the two biases (summed on [KEYS, width]) instead of two on [B, T, KEYS, width]
        h = F.relu(F.linear(feats, self.inp.weight) + (self.key_bias + self.inp.bias))
        return self.out(F.relu(self.hid(h)))


class KeyBranch(PerKeyMLP):
    """Per-key evidence beside the shared trunk (0.4.0 on): each key reads the scaled log-mel at its
    own partials (this frame and the change since the last) plus the trunk's four logits for it, and
    a small MLP shared by all keys (with a learned per-key offset) adds a correction to those logits.
    Why: the trunk squeezes 229 mel bins through a 256-wide GRU state for all 88 keys and never
    learned the bass (A0-B2 onset F1 0.2 even on training timbres); a key's partial comb is the
    direct evidence, and weights shared across keys learn from every key's examples. Stateless: the
    previous frame comes from the first conv block's cache, so streaming needs no new state. The
    output layer starts at zero, so a grown model first computes what its source did."""

    def __init__(self, width: int = 32):
        super().__init__()
        idx, wts = partial_gather()
        self.register_buffer("idx", torch.from_numpy(idx))
        self.register_buffer("wts", torch.from_numpy(wts))
        n_in = 2 * len(KEY_PARTIALS) + 4
        self.init_mlp(n_in, width, 4)

    def partials(self, x: torch.Tensor) -> torch.Tensor:
        """x [B, T, N_MELS] -> [B, T, KEYS, P]."""
        B, T, _ = x.shape
        return gather_interpolated(x, self.idx, self.wts).reshape(B, T, KEYS, len(KEY_PARTIALS))

    def forward(self, first_input: torch.Tensor, ctx: int, logits: list[torch.Tensor]) -> torch.Tensor:
        """first_input [B, 1, CTX + T, F]; logits: 4 x [B, T, KEYS] -> corrections [B, T, KEYS, 4]."""
        every = self.partials(first_input[:, 0, ctx - 1:])  # one gather for this frame and the one before
        cur, prev = every[:, 1:], every[:, :-1]
        trunk = torch.stack(logits, dim=-1) * 0.1  # logits reach +-10; keep them near the other inputs' scale
        return self.mlp(torch.cat([cur, cur - prev, trunk], dim=-1))


# Partials the contrast branch reads, and the offsets (cents) around each at which it compares them.
CONTRAST_PARTIALS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0)
CONTRAST_CENTS = (-50.0, 0.0, 50.0)


def contrast_gather() -> tuple[np.ndarray, np.ndarray]:
    """Like partial_gather, at each contrast partial and a quarter tone either side of it
    ([KEYS * P * 3 * 2] mel-bin indices and interpolation weights). (Sharing the quarter-tone
    positions between neighbouring keys, a third fewer gathers, measured no faster: the strided
    slices and transposes it needs cost as much.)"""
    return _mel_interpolation([key_f0(k) * mult * 2.0 ** (cents / 1200.0)
                               for k in range(KEYS) for mult in CONTRAST_PARTIALS for cents in CONTRAST_CENTS])


class ContrastBranch(PerKeyMLP):
    """Per-key peak contrast (0.5.0 on): for partials 1-12 of each key, the scaled log-mel at the
    partial minus the larger of its values a quarter tone either side (is the energy centred on
    this key's partial or on a neighbour's?), the level itself and its change since the last frame;
    with the final logits of the four key heads, a small MLP shared by all keys (per-key offset)
    adds one more correction to them. Why: measured on 0.4.0's held-out test music, 56 % of the
    missed notes lie below C4 (recall C1-B1 0.01, C2-B2 0.18, C3-B3 0.51, C4 and up 0.75-0.78) and
    precision there is 0.35-0.60; below ~260 Hz neighbouring semitones' fundamentals fall in the
    same mel bins, but from the 4th partial up a quarter tone is about a mel bin, so which semitone
    holds the energy is readable there. The key branch reads only the value at each partial, which
    a neighbour's partial spills into as well. Stateless (the previous frame comes from the first
    conv block's cache); output layer zero at the start, so the grown model first answers exactly
    as its source; trained with everything else frozen (train_branch.py)."""

    def __init__(self, width: int = 48):
        super().__init__()
        idx, wts = contrast_gather()
        self.register_buffer("idx", torch.from_numpy(idx))
        self.register_buffer("wts", torch.from_numpy(wts))
        self.init_mlp(3 * len(CONTRAST_PARTIALS) + 4, width, 4)

    def forward(self, first_input: torch.Tensor, ctx: int, logits: list[torch.Tensor]) -> torch.Tensor:
        """first_input [B, 1, CTX + T, F]; logits: 4 x [B, T, KEYS] -> corrections [B, T, KEYS, 4]."""
        x = first_input[:, 0, ctx - 1:]
        B, T1, _ = x.shape
        P, C = len(CONTRAST_PARTIALS), len(CONTRAST_CENTS)
        # The three readings of each partial in three contiguous blocks (left, centre, right): taking
        # them apart is then a Split, not three strided Gathers (onnxruntime folds the permutation of
        # these constant buffers once, at load).
        order = lambda t: t.reshape(KEYS, P, C, 2).permute(2, 0, 1, 3).reshape(-1)  # noqa: E731
        left, centre, right = gather_interpolated(x, order(self.idx), order(self.wts)).reshape(B, T1, C, KEYS, P).unbind(2)
        contrast = centre - torch.maximum(left, right)
        cur = centre[:, 1:]
        feats = torch.cat([cur, contrast[:, 1:], cur - centre[:, :-1], torch.stack(logits, dim=-1) * 0.1], dim=-1)
        return self.mlp(feats)


# Partials the short-onset branch reads per key (the short window's bands are ~40 Hz wide at the
# bottom, so low keys' partials share bands; the rise there still says *when*).
SHORT_PARTIALS = (1.0, 2.0, 3.0, 4.0)


def short_gather() -> tuple[np.ndarray, np.ndarray]:
    """For every (key, short partial): the two short bands around it and their interpolation weights."""
    centres = short_band_centres_hz()
    pos_all = np.interp(np.log([key_f0(k) * m for k in range(KEYS) for m in SHORT_PARTIALS]),
                        np.log(centres), np.arange(SHORT_BANDS), left=-1.0, right=-1.0)
    idx, wts = [], []
    for pos in pos_all:
        if pos < 0:
            idx += [0, 0]; wts += [0.0, 0.0]
            continue
        lo = min(int(np.floor(pos)), SHORT_BANDS - 2)
        frac = pos - lo
        idx += [lo, lo + 1]; wts += [1.0 - frac, frac]
    return np.array(idx, dtype=np.int64), np.array(wts, dtype=np.float32)


class ShortOnset(PerKeyMLP):
    """Short-window onset branch (the delay-1 experiment): a 32 ms Hann window (common.SHORT_N) whose
    right edge is the long window's (no added look-ahead) gives log power in SHORT_BANDS mel bands
    per frame. Why: at an output delay of 1 frame the long (128 ms) window has seen 20 ms of a new
    note diluted in 108 ms of the past; retraining the whole network at delay 1 kept the frame head
    but lost a fifth of the onsets (docs/transcription-model.md "Where training stands"). Pitch stays
    with the long window; this branch only says *when*.
    Two paths, both zero at the start (a grown model first computes what its source did):
      dense: [bands, rise since the last frame] -> the dense layer beside the conv features, so
             the GRU (and through it every head) hears the sharp time signal;
      head:  per key, the bands (and their rise) at the key's partials 1-4, the broadband rise
             (all bands, low / mid / high thirds), and the trunk's final onset and frame logits,
             through a small MLP shared by all keys (per-key offset) -> a correction of the onset
             logit.
    Stateless: the previous frame's short window ends where the current chunk starts, inside the
    CONTEXT_SAMPLES of audio step.onnx already carries, so streaming needs no new state."""

    def __init__(self, hidden: int, width: int = 32):
        super().__init__()
        n_bins = SHORT_N // 2 + 1
        self.register_buffer("window", torch.tensor(short_window(), dtype=torch.float32))
        self.register_buffer("k_idx", torch.arange(n_bins, dtype=torch.int64).unsqueeze(1))
        self.register_buffer("n_idx", torch.arange(SHORT_N, dtype=torch.int64).unsqueeze(0))
        self.register_buffer("fb", torch.tensor(short_filterbank(), dtype=torch.float32))
        idx, wts = short_gather()
        self.register_buffer("idx", torch.from_numpy(idx))
        self.register_buffer("wts", torch.from_numpy(wts))
        self.dense = nn.Linear(2 * SHORT_BANDS, hidden)
        nn.init.zeros_(self.dense.weight)
        nn.init.zeros_(self.dense.bias)
        self.init_mlp(2 * len(SHORT_PARTIALS) + 4 + 2, width, 1)

    def features(self, audio_with_context: torch.Tensor) -> torch.Tensor:
        """[B, CONTEXT_SAMPLES + T*HOP] -> [B, T + 1, SHORT_BANDS] log band power of frames -1 .. T-1
        (frame k's window ends at CONTEXT_SAMPLES + (k+1)*HOP, where the long window of frame k ends)."""
        n_bins = SHORT_N // 2 + 1
        phase = torch.remainder(self.k_idx * self.n_idx, SHORT_N).to(torch.float32) * (2.0 * math.pi / SHORT_N)
        kernel = torch.cat([torch.cos(phase) * self.window, torch.sin(phase) * self.window], dim=0).unsqueeze(1)
        x = audio_with_context[:, CONTEXT_SAMPLES - SHORT_N:]
        spec = F.conv1d(x.unsqueeze(1), kernel, stride=HOP)
        power = spec[:, :n_bins] ** 2 + spec[:, n_bins:] ** 2
        return torch.log(torch.matmul(self.fb, power) + LOG_EPS).transpose(1, 2)

    @staticmethod
    def scaled(short: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """[B, T + 1, SHORT_BANDS] log power -> (current, rise since the frame before), each [B, T, SHORT_BANDS]."""
        x = (short + FEAT_SHIFT) * FEAT_SCALE
        return x[:, 1:], x[:, 1:] - x[:, :-1]

    def dense_input(self, short: torch.Tensor) -> torch.Tensor:
        cur, rise = self.scaled(short)
        return self.dense(torch.cat([cur, rise], dim=-1))

    def forward(self, short: torch.Tensor, onset: torch.Tensor, frame: torch.Tensor) -> torch.Tensor:
        """short [B, T + 1, SHORT_BANDS]; onset / frame logits [B, T, KEYS] -> onset correction [B, T, KEYS]."""
        cur, rise = self.scaled(short)
        B, T, nb = cur.shape
        both = torch.cat([cur, rise], dim=1)  # one gather for both: [B, 2T, bands]
        rows = torch.index_select(both.reshape(B * 2 * T, nb).t(), 0, self.idx).reshape(-1, 2, B * 2 * T)
        per_key = (rows * self.wts.reshape(-1, 2, 1)).sum(1).t().reshape(B, 2, T, KEYS, len(SHORT_PARTIALS))
        pos = F.relu(rise)
        third = nb // 3
        broad = torch.stack([rise.mean(-1), pos[..., :third].mean(-1), pos[..., third:2 * third].mean(-1),
                             pos[..., 2 * third:].mean(-1)], dim=-1)  # [B, T, 4]
        feats = torch.cat([per_key[:, 0], per_key[:, 1], broad.unsqueeze(2).expand(B, T, KEYS, 4),
                           torch.stack([onset, frame], dim=-1) * 0.1], dim=-1)
        return self.mlp(feats).squeeze(-1)


class Transcriber(nn.Module):
    CTX = 2  # time frames of left context per conv block

    # Two small conv blocks: measured on the shared 2-core machine, a third full-resolution block
    # cost 4x the training time of the whole rest of the network.
    def __init__(self, channels=(8, 16), hidden: int = 256, bypass: bool = False, keys: bool = False,
                 contrast: bool = False, short_onset: bool = False):
        super().__init__()
        self.arch = {"channels": list(channels), "hidden": hidden, "bypass": bypass, "keys": keys}
        if contrast:
            self.arch["contrast"] = True
        if short_onset:
            self.arch["short_onset"] = True
        self.frontend = LogMel()
        c1, c2 = channels
        self.blocks = nn.ModuleList([CausalConvBlock(1, c1, True), CausalConvBlock(c1, c2, True)])
        self.block_in = [(1, N_MELS), (c1, N_MELS // 2)]  # (channels, freq) each block sees
        f_out = N_MELS // 4
        self.fc = nn.Linear(c2 * f_out, hidden)
        self.drop = nn.Dropout(0.2)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.hidden = hidden
        self.onset = nn.Linear(2 * hidden, KEYS)
        self.offset = nn.Linear(2 * hidden, KEYS)
        self.velocity = nn.Linear(2 * hidden, KEYS)
        # bypass (0.3.0 on): the full-resolution scaled log-mel and its one-frame difference feed the
        # dense layer beside the pooled conv features. Why: two 2x frequency poolings leave the conv
        # path ~4 mel bins (about 2 semitones at 440 Hz) per position with only 16 channels to say
        # where in the pool the energy sits; the bass was the model's blind spot. The frame head also
        # reads the dense features (it had only the GRU state and the onsets; offsets were poor).
        self.bypass = nn.Linear(2 * N_MELS, hidden) if bypass else None
        self.frame = nn.Linear(hidden + KEYS + (hidden if bypass else 0), KEYS)
        self.pedal = nn.Linear(hidden, 1)
        self.keys = KeyBranch() if keys else None
        self.contrast = ContrastBranch() if contrast else None
        self.short = ShortOnset(hidden) if short_onset else None

    # ---- shared trunk -------------------------------------------------------------------------
    def trunk(self, mel: torch.Tensor, caches: list[torch.Tensor], h: torch.Tensor, short: torch.Tensor | None = None):
        """mel [B, T, N_MELS]; caches: per block [B, C, CTX, F]; h [1, B, hidden]; short [B, T + 1, SHORT_BANDS]
        (the short-onset branch's input, frames -1 .. T-1) when the model has the branch."""
        x = ((mel + FEAT_SHIFT) * FEAT_SCALE).unsqueeze(1)  # [B, 1, T, F]
        new_caches = []
        first_input = None
        for block, cache in zip(self.blocks, caches):
            xc = torch.cat([cache, x], dim=2)
            if first_input is None:
                first_input = xc  # scaled log-mel with its cached left context (for the bypass)
            new_caches.append(xc[:, :, -self.CTX:])
            x = block(xc)
        z = self.dense(x, first_input, short)
        g, h_new = self.gru(z, h)
        lg = self.heads(g, z, first_input, short)
        out = {k: torch.sigmoid(v) for k, v in lg.items()}
        out["pedal"] = out["pedal"].squeeze(-1)  # [B, T], as the decoding spec reads it
        return out, new_caches, h_new

    def logits_trunk(self, mel: torch.Tensor, short: torch.Tensor | None = None,
                     short_mask: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """Training path from cached features: returns pre-sigmoid logits (numerically stable BCE).
        short [B, T + 1, SHORT_BANDS]: the short-onset branch's features (common.short_numpy rows of the
        crop and the frame before it); short_mask [B]: 0 for crops whose clip has no audio to compute
        them from (packed log-mel only), which then train with the branch silent."""
        B = mel.shape[0]
        caches, h = self.zero_state(B, mel.device)
        x = ((mel + FEAT_SHIFT) * FEAT_SCALE).unsqueeze(1)
        first_input = None
        for block, cache in zip(self.blocks, caches):
            xc = torch.cat([cache, x], dim=2)
            if first_input is None:
                first_input = xc
            x = block(xc)
        z = self.dense(x, first_input, short, short_mask)
        g, _ = self.gru(z, h)
        return self.heads(g, z, first_input, short, short_mask)

    def heads(self, g: torch.Tensor, z: torch.Tensor, first_input: torch.Tensor, short: torch.Tensor | None = None,
              short_mask: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """GRU state g and dense features z [B, T, hidden] -> pre-sigmoid logits of every head."""
        both = torch.cat([g, z], dim=-1)
        onset = self.onset(both)
        frame = self.frame(self.frame_input(g, torch.sigmoid(onset).detach(), z))
        offset, velocity = self.offset(both), self.velocity(both)
        if self.keys is not None:
            d = self.keys(first_input, self.CTX, [onset, frame, offset, velocity])
            onset, frame, offset, velocity = onset + d[..., 0], frame + d[..., 1], offset + d[..., 2], velocity + d[..., 3]
        if self.contrast is not None:
            d = self.contrast(first_input, self.CTX, [onset, frame, offset, velocity])
            onset, frame, offset, velocity = onset + d[..., 0], frame + d[..., 1], offset + d[..., 2], velocity + d[..., 3]
        if self.short is not None:
            d = self.short(self._need_short(short), onset, frame)
            onset = onset + (d if short_mask is None else d * short_mask.reshape(-1, 1, 1))
        return {"onset": onset, "frame": frame, "offset": offset, "velocity": velocity, "pedal": self.pedal(g)}

    def _need_short(self, short: torch.Tensor | None) -> torch.Tensor:
        if short is None:
            raise ValueError("this model has the short-onset branch: pass its short-window features")
        return short

    def dense(self, conv_out: torch.Tensor, first_input: torch.Tensor, short: torch.Tensor | None = None,
              short_mask: torch.Tensor | None = None) -> torch.Tensor:
        """Pooled conv features [B, C, T, Fq] (+ bypass of the scaled log-mel [B, 1, CTX + T, F]) -> z [B, T, hidden]."""
        B, C, T, Fq = conv_out.shape
        pre = self.fc(conv_out.permute(0, 2, 1, 3).reshape(B, T, C * Fq))
        if self.bypass is not None:
            cur = first_input[:, 0, self.CTX:]  # [B, T, F]
            prev = first_input[:, 0, self.CTX - 1:-1]  # the frame before each (from the cache at t = 0)
            pre = pre + self.bypass(torch.cat([cur, cur - prev], dim=-1))
        if self.short is not None:
            d = self.short.dense_input(self._need_short(short))
            pre = pre + (d if short_mask is None else d * short_mask.reshape(-1, 1, 1))
        return self.drop(F.relu(pre))

    def frame_input(self, g: torch.Tensor, onset: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """[GRU state, onsets] (+ dense features, appended last so that grow_state's leading-slice copy
        keeps the old columns in place)."""
        parts = [g, onset] + ([z] if self.bypass is not None else [])
        return torch.cat(parts, dim=-1)

    def zero_state(self, batch: int, device=None):
        caches = [torch.zeros(batch, c, self.CTX, f, device=device) for c, f in self.block_in]
        return caches, torch.zeros(1, batch, self.hidden, device=device)

    # ---- entry points -------------------------------------------------------------------------
    def forward(self, audio: torch.Tensor):
        """Offline: audio [B, S] (16 kHz) -> posteriors for T = S // HOP frames."""
        T = audio.shape[1] // HOP
        padded = F.pad(audio[:, : T * HOP], (CONTEXT_SAMPLES, 0))
        mel = self.frontend(padded)
        short = self.short.features(padded) if self.short is not None else None
        caches, h = self.zero_state(audio.shape[0], audio.device)
        out, _, _ = self.trunk(mel, caches, h, short)
        return out["onset"], out["frame"], out["offset"], out["velocity"], out["pedal"]

    def step(self, audio, audio_ctx, cache1, cache2, h):
        """Streaming: audio [1, n*HOP] new samples, audio_ctx [1, CONTEXT_SAMPLES] previous samples."""
        full = torch.cat([audio_ctx, audio], dim=1)
        mel = self.frontend(full)
        # the short window of the frame before this chunk's first ends at CONTEXT_SAMPLES: inside audio_ctx
        short = self.short.features(full) if self.short is not None else None
        out, caches, h_new = self.trunk(mel, [cache1, cache2], h, short)
        return (out["onset"], out["frame"], out["offset"], out["velocity"], out["pedal"],
                full[:, -CONTEXT_SAMPLES:], caches[0], caches[1], h_new)


def build_model(arch: dict | None = None) -> Transcriber:
    """The architecture a checkpoint was trained with (checkpoints before 0.3.0 carry no arch: 0.2.0's)."""
    arch = arch or {}
    return Transcriber(tuple(arch.get("channels", (8, 16))), arch.get("hidden", 256), arch.get("bypass", False),
                       arch.get("keys", False), arch.get("contrast", False), arch.get("short_onset", False))


def grow_state(src: dict[str, torch.Tensor], dst: Transcriber) -> dict[str, torch.Tensor]:
    """Function-preserving growth: every source tensor is copied into the leading slice of the destination's
    tensor of the same name; the new parts start at zero (bypass weights, the frame head's new input
    columns; the branches' output layers and the short-onset branch's dense path are zero at init),
    so the grown model first computes exactly what the source did and learns from there."""
    out = {}
    for name, t in dst.state_dict().items():
        new = torch.zeros_like(t)
        if name in src:
            s = src[name]
            if s.dim() != t.dim():
                raise ValueError(f"cannot grow {name}: {tuple(s.shape)} -> {tuple(t.shape)}")
            new[tuple(slice(0, n) for n in s.shape)] = s
        elif not name.startswith("bypass."):
            new = t.clone()  # buffers the source lacks keep their initial value
        out[name] = new
    return out


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":
    m = Transcriber()
    print("parameters:", count_parameters(m))
    x = torch.randn(1, 16000)
    print([t.shape for t in m(x)])
    mel_np = np.asarray(m.frontend(F.pad(x, (CONTEXT_SAMPLES, 0)))[0].detach())
    from common import logmel_numpy
    ref = logmel_numpy(x[0].numpy())
    print("frontend max abs diff vs numpy:", float(np.abs(mel_np - ref).max()))
