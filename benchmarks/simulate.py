"""Far-field simulation speed: seconds of audio produced per wall-clock second, per condition.

Target: ≥ 100× real time for image-source conditions on 2 cores. Clean speech is synthesized
first (not timed); each condition is then rendered with `--jobs` worker processes.

    python benchmarks/simulate.py --n 40 --jobs 2
"""

from __future__ import annotations

import argparse
import time

from ffasr_eval.data import CONDITIONS
from ffasr_eval.data._build import _rows
from ffasr_eval.data._sources import synth_source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="utterances (default 40)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from concurrent.futures import ProcessPoolExecutor

    utterances = list(synth_source(args.n, seed=0))
    babble = [u.audio for u in utterances[:4]]
    chunk = max(1, len(utterances) // args.jobs)
    with ProcessPoolExecutor(args.jobs) as pool:
        for name in CONDITIONS:
            work = [(name, utterances[i: i + chunk], i, 0, babble) for i in range(0, len(utterances), chunk)]
            start = time.perf_counter()
            rows = [r for batch in pool.map(_rows, work) for r in batch]
            elapsed = time.perf_counter() - start
            audio = sum(r["duration_s"] for r in rows)
            print(f"{name:11s} {audio:7.1f} s of audio in {elapsed:6.2f} s: {audio / elapsed:7.1f}× real time")


if __name__ == "__main__":
    main()
