#!/usr/bin/env bash
# Creates the training/export/eval environment outside git (models/training/.venv, gitignored)
# and makes sure the synthesisers and soundfonts used for data rendering are installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
apt_pkgs=(fluidsynth timidity fluid-soundfont-gm musescore-general-soundfont-lossless timgm6mb-soundfont freepats csound-soundfont)  # freepats, csound-soundfont: held-out test timbres
missing=()
for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing apt packages: ${missing[*]}"
  apt-get install -y "${missing[@]}"
fi
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet -r "$here/requirements.txt"
"$here/.venv/bin/python" -c "import torch, onnxruntime, mir_eval, mido, soundfile; print('env ok: torch', torch.__version__, 'ort', onnxruntime.__version__)"
