#!/usr/bin/env bash
# Fetches the Salamander Grand Piano V3 samples (Yamaha C5, Alexander Holm, CC BY 3.0) as published
# on npm by @audio-samples (16 velocity layers + key-release noises) into work/salamander/, outside git.
# `npm pack` downloads the tarball only: nothing is installed and no package scripts run.
# Then decodes and resamples them once to 16 kHz npy (synth/sampler.py prepare).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/work/salamander"
mkdir -p "$dest/tgz"
cd "$dest/tgz"
pkgs=(piano-release)
for v in $(seq 1 16); do pkgs+=("piano-velocity$v"); done
for p in "${pkgs[@]}"; do
  if ! ls "audio-samples-$p-"*.tgz >/dev/null 2>&1; then
    npm pack --silent "@audio-samples/$p@1.0.5"
  fi
  mkdir -p "../raw/$p"
  tar -xzf "audio-samples-$p-"*.tgz -C "../raw/$p" --strip-components=1
done
cd "$here"
"$here/.venv/bin/python" -m synth.sampler prepare
