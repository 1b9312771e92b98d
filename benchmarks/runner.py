"""Runner overhead: `ffasr-eval run` vs a bare PocketSphinx loop on the same samples.

Prints wall time and RTFx of both and their ratios (targets: runner wall ≤ 1.10× bare loop,
runner RTFx within 3 % of the bare loop's). The bare loop is the same evaluation written by hand:
read the parquet, decode each clip with soundfile, transcribe (same decoder settings, same single
warm-up), then score with the same normalizer and jiwer. The runner's wall time adds Inspect,
per-sample scoring, log writing and the run summary. The two run alternately `--repeat` times
and the fastest of each is compared, since this machine's speed drifts by several percent between
runs of identical work. The same pairs with a model that answers at once measure the runner's own
overhead in a few seconds, where drift barely matters; it gives the ratio to expect.

    python benchmarks/runner.py                      # 200 samples, 3 pairs
    python benchmarks/runner.py --n 40 --repeat 1    # quick
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import jiwer
import numpy as np
import pyarrow.parquet as pq
import soundfile as sf
from inspect_ai.model import modelapi

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "runner"))
from conftest import _synthesize, write_benchmark  # noqa: E402  (the runner tests' benchmark writer)

from ffasr_eval.providers import ASRModelAPI  # noqa: E402
from ffasr_eval.providers._sphinx import SphinxASR  # noqa: E402
from ffasr_eval.runner import run_benchmark  # noqa: E402
from ffasr_eval.scoring import normalize  # noqa: E402

WORDS = "the a red blue small large dog cat house car runs sleeps near far today quickly".split()


def _sentences(n: int) -> list[str]:
    return [" ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(4 + i % 5)) for i in range(n)]


class InstantASR(ASRModelAPI):
    """A model that answers at once: all of the runner's wall time with it is the runner's own."""

    def transcribe(self, audio: np.ndarray) -> str:
        return ""


@modelapi(name="instant")
def instant() -> type[InstantASR]:
    return InstantASR


def _bare_loop(bench: Path, model: ASRModelAPI) -> tuple[float, float, float]:
    """The evaluation as a plain loop; returns (wall seconds, transcription seconds, WER)."""
    start = time.perf_counter()
    table = pq.read_table(bench / "data/near_field/test-00000-of-00001.parquet", columns=["audio", "text"])
    decode, hypotheses = 0.0, []
    for index, row in enumerate(table.to_pylist()):
        clip = sf.read(io.BytesIO(row["audio"]["bytes"]), dtype="float32")[0]
        if index == 0:
            model.transcribe(clip)  # the same single warm-up the runner does
        t0 = time.perf_counter()
        hypotheses.append(model.transcribe(clip))
        decode += time.perf_counter() - t0
    wer = jiwer.wer([normalize(t) for t in table["text"].to_pylist()], [normalize(h) for h in hypotheses])
    return time.perf_counter() - start, decode, wer


def _runner(bench: Path, model: str, out: Path) -> tuple[float, float, float]:
    start = time.perf_counter()
    summary = run_benchmark(bench, model, out_dir=out, tasks=["near_field"])
    return time.perf_counter() - start, summary.rtfx, summary.task("near_field").value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="samples (default 200)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="bare/runner pairs, run alternately; the fastest of each is compared (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        texts = _sentences(args.n)
        bench = write_benchmark(Path(tmp) / "bench", {"near_field": _synthesize(texts)}, texts)
        durations = pq.read_table(bench / "data/near_field/test-00000-of-00001.parquet", columns=["duration_s"])
        audio_seconds = sum(durations["duration_s"].to_pylist())
        print(f"samples {args.n}, audio {audio_seconds:.1f} s, {args.repeat} alternating pairs per model")
        for model in ("sphinx/en-us", "instant/x"):  # first use: imports and Inspect's set-up, like the bare loop's imports
            run_benchmark(bench, model, out_dir=Path(tmp) / "first-use" / model, tasks=["near_field"], limit=1)

        bare, runner, bare_instant, runner_instant = [], [], [], []
        for rep in range(args.repeat):
            wall, decode, wer = _bare_loop(bench, SphinxASR("en-us", warmup=1))
            bare.append((wall, audio_seconds / decode, wer))
            runner.append(_runner(bench, "sphinx/en-us", Path(tmp) / f"sphinx{rep}"))
            bare_instant.append(_bare_loop(bench, InstantASR("instant", warmup=1))[0])
            runner_instant.append(_runner(bench, "instant/x", Path(tmp) / f"instant{rep}")[0])
            print(f"pair {rep + 1}: sphinx bare {bare[-1][0]:6.2f} s RTFx {bare[-1][1]:5.2f} | runner {runner[-1][0]:6.2f} s "
                  f"RTFx {runner[-1][1]:5.2f} | ratio {runner[-1][0] / bare[-1][0]:.3f}   instant model: bare "
                  f"{bare_instant[-1]:5.2f} s | runner {runner_instant[-1]:5.2f} s")

    assert all(b[2] == r[2] for b, r in zip(bare, runner, strict=True)), "the runner and the bare loop disagree on WER"
    best_bare, best_runner = min(bare), min(runner)
    overhead = min(runner_instant) - min(bare_instant)
    print(f"fastest      : bare {best_bare[0]:7.2f} s RTFx {best_bare[1]:5.2f} | runner {best_runner[0]:7.2f} s RTFx "
          f"{best_runner[1]:5.2f} | WER {best_runner[2]:.4f} on both")
    print(f"wall ratio runner/bare {best_runner[0] / best_bare[0]:.3f} (target ≤ 1.10)")
    print(f"runner overhead, measured with the instant model: {overhead:.2f} s = {overhead / args.n * 1e3:.1f} ms per "
          f"sample -> wall ratio {(best_bare[0] + overhead) / best_bare[0]:.3f} at the fastest bare loop's speed")
    print(f"RTFx ratio runner/bare {max(r[1] for r in runner) / max(b[1] for b in bare):.3f} (target 0.97–1.03)")


if __name__ == "__main__":
    main()
