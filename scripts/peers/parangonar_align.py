"""
Peer aligner for scripts/eval-alignment-peer.ts: runs parangonar's DualDTWNoteMatcher on
(score, performance MIDI) pairs and writes its note matches, so the TypeScript side scores them
against the same ground truth as our aligner.

    /work/venvs/parangonar/bin/python scripts/peers/parangonar_align.py jobs.json out.json

jobs.json: [{"name", "score", "performance"}]. out.json: {name: {"matches": [[score_id, pitch,
onset_sec], ...], "seconds": float} or {"error": "..."}}. The score is unfolded maximally (all
repeats taken), the same input our aligner gets; ids come out as "<xml id>-<repeat>".
"""
import json
import sys
import time
import traceback

import numpy as np
import parangonar as pa
import partitura as pt


def align(score_path: str, midi_path: str):
    score = pt.load_score(score_path)
    parts = list(score.parts) if hasattr(score, "parts") else list(score)
    # One part per piece in these data sets; several parts are merged like partitura does.
    part = pt.score.merge_parts(parts) if len(parts) > 1 else parts[0]
    unfolded = pt.score.unfold_part_maximal(part)
    score_notes = unfolded.note_array(include_grace_notes=True)
    performance = pt.load_performance_midi(midi_path)
    perf_notes = performance.note_array()
    matcher = pa.DualDTWNoteMatcher()
    alignment = matcher(score_notes, perf_notes, process_ornaments=False, score_part=unfolded)
    by_id = {str(n["id"]): n for n in perf_notes}
    matches = []
    for pair in alignment:
        if pair.get("label") != "match":
            continue
        n = by_id.get(str(pair["performance_id"]))
        if n is None:
            continue
        matches.append([str(pair["score_id"]), int(n["pitch"]), float(n["onset_sec"])])
    return matches


def main() -> None:
    jobs = json.load(open(sys.argv[1]))
    out = {}
    for job in jobs:
        started = time.perf_counter()
        try:
            out[job["name"]] = {"matches": align(job["score"], job["performance"]), "seconds": time.perf_counter() - started}
        except Exception as error:  # report, do not stop the batch
            out[job["name"]] = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc(limit=3)}
        print(job["name"], "error" if "error" in out[job["name"]] else f'{len(out[job["name"]]["matches"])} matches in {out[job["name"]]["seconds"]:.1f} s', file=sys.stderr, flush=True)
        json.dump(out, open(sys.argv[2], "w"))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
