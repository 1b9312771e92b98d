"""Far-field simulation speed: seconds of audio produced per wall-clock second, per condition.

Target: ≥ 100× real time for image-source conditions on 2 cores. Clean speech is synthesized
first (not timed); each condition is then rendered with `--jobs` worker processes.

The second table compares the hybrid impulse response the builder uses (exact image sources up
to the mixing time, then a seeded diffuse tail) with a full image-source response of the order
`pyroomacoustics.inverse_sabine` asks for, on each condition's first room: time per response,
and the acoustics measured on both.

    python benchmarks/simulate.py --n 40 --jobs 2
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pyroomacoustics as pra

from ffasr_eval.data import CONDITIONS
from ffasr_eval.data._acoustics import c50_db, drr_db, rt60
from ffasr_eval.data._build import _rows
from ffasr_eval.data._simulate import FS, make_room, rng_for, source_at
from ffasr_eval.data._sources import synth_source

TARGET = 100.0


def _full_ism(room, source) -> np.ndarray:  # type: ignore[no-untyped-def]
    _, order = pra.inverse_sabine(room.rt60_target, list(room.dims))
    shoebox = pra.ShoeBox(list(room.dims), fs=FS, materials=pra.Material(room.absorption), max_order=order)
    shoebox.add_source(list(source))
    shoebox.add_microphone(list(room.mic))
    shoebox.compute_rir()
    return np.asarray(shoebox.rir[0][0])


def _timed(fn, repeats: int = 3):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(repeats):
        value = fn()
    return value, (time.perf_counter() - start) / repeats


def speed(n: int, jobs: int) -> None:
    utterances = list(synth_source(n, seed=0))
    babble = [u.audio for u in utterances[:4]]
    chunk = max(1, -(-len(utterances) // jobs))
    print(f"{'condition':11s} {'audio s':>8s} {'wall s':>7s} {'× real time':>12s} {'÷ target':>9s}")
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_rows, [("near_field", [(0, utterances[0])], 0, babble)] * jobs))  # start and import
        for name in CONDITIONS:
            indexed = list(enumerate(utterances))
            work = [(name, indexed[i: i + chunk], 0, babble) for i in range(0, len(indexed), chunk)]
            start = time.perf_counter()
            rows = [r for batch in pool.map(_rows, work) for r in batch]
            elapsed = time.perf_counter() - start
            audio = sum(r["duration_s"] for r in rows)
            print(f"{name:11s} {audio:8.1f} {elapsed:7.2f} {audio / elapsed:11.1f}× {audio / elapsed / TARGET:8.2f}×")


def fidelity() -> None:
    print(f"\n{'condition':11s} {'full ms':>8s} {'hybrid ms':>9s} {'speed-up':>9s}   "
          f"{'RT60 target':>11s} {'RT60 full/hybrid':>16s}   {'DRR dB full/hybrid':>18s}   {'C50 dB full/hybrid':>18s}")
    for name, condition in CONDITIONS.items():
        room = make_room(condition, 0, 0)
        source = source_at(room, float(np.mean(condition.distance_m)), rng_for(0, "fidelity", name))
        full, full_s = _timed(lambda: _full_ism(room, source))
        hybrid, hybrid_s = _timed(lambda: room.rir(source, (0,)))
        print(f"{name:11s} {full_s * 1e3:8.1f} {hybrid_s * 1e3:9.1f} {full_s / hybrid_s:8.1f}×   "
              f"{room.rt60_target:11.2f} {rt60(full, FS):7.2f} / {rt60(hybrid, FS):<6.2f}   "
              f"{drr_db(full, FS):8.1f} / {drr_db(hybrid, FS):<7.1f}   {c50_db(full, FS):8.1f} / {c50_db(hybrid, FS):<7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="utterances (default 40)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    speed(args.n, args.jobs)
    fidelity()


if __name__ == "__main__":
    main()
