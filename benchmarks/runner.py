"""Runner overhead: `ffasr-eval run` vs a bare PocketSphinx loop on the same samples.

Prints wall time and RTFx of both and their ratios (targets: runner wall ≤ 1.10× bare loop,
runner RTFx within 3 % of the bare loop's). Both sides transcribe the same decoded audio with
the same decoder settings, warm-up included; the runner's wall time includes Inspect, scoring
and log writing.

    python benchmarks/runner.py            # 200 samples
    python benchmarks/runner.py --n 40     # quick
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "runner"))
from conftest import _synthesize, write_benchmark  # noqa: E402  (the runner tests' benchmark writer)

from ffasr_eval.providers._sphinx import SphinxASR  # noqa: E402
from ffasr_eval.runner import run_benchmark  # noqa: E402

WORDS = "the a red blue small large dog cat house car runs sleeps near far today quickly".split()


def _sentences(n: int) -> list[str]:
    return [" ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(4 + i % 5)) for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="samples (default 200)")
    n = parser.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        texts = _sentences(n)
        bench = write_benchmark(Path(tmp) / "bench", {"near_field": _synthesize(texts)}, texts)
        rows = pq.read_table(bench / "data/near_field/test-00000-of-00001.parquet").to_pylist()
        clips = [sf.read(io.BytesIO(r["audio"]["bytes"]), dtype="float32")[0] for r in rows]
        audio_seconds = sum(len(c) for c in clips) / 16000

        start = time.perf_counter()
        model = SphinxASR("en-us", warmup=1)
        model.transcribe(clips[0])  # the same single warm-up the runner does
        decode = 0.0
        for clip in clips:
            t0 = time.perf_counter()
            model.transcribe(clip)
            decode += time.perf_counter() - t0
        bare_wall = time.perf_counter() - start

        start = time.perf_counter()
        summary = run_benchmark(bench, "sphinx/en-us", out_dir=Path(tmp) / "run", tasks=["near_field"])
        runner_wall = time.perf_counter() - start

    bare_rtfx = audio_seconds / decode
    print(f"samples {n}, audio {audio_seconds:.1f} s")
    print(f"bare loop : wall {bare_wall:7.2f} s   RTFx {bare_rtfx:6.2f}")
    print(f"runner    : wall {runner_wall:7.2f} s   RTFx {summary.rtfx:6.2f}")
    print(f"wall ratio runner/bare {runner_wall / bare_wall:.3f} (target ≤ 1.10)")
    print(f"RTFx ratio runner/bare {summary.rtfx / bare_rtfx:.3f} (target 0.97–1.03)")


if __name__ == "__main__":
    main()
