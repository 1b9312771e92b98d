"""The bundled baseline on the bundled benchmark: WER per condition, and the signed result files.

Builds the synthetic benchmark (`--n` utterances, seed 0, every condition), evaluates the bundled
baseline (`sphinx/en-us`) on it at batch size 1, and prints WER per condition with its 95 % CI and
the step from each condition to the next harder one (the far-field effect: WER must grow from
near field to 0 dB).

With `--write DIR` it also signs the run and writes the result files a model repo would hold:
``DIR/.eval_results/far-field-bench.yaml``, the run's eval logs under ``DIR/eval_logs/`` and
``DIR/evaluators.yaml`` with the signing key's public half. The key is generated in memory
and thrown away, so nothing else can ever be signed with it. This is how the repository's own
top-level ``.eval_results/`` was made:

    python benchmarks/baseline.py --n 100 --write .
    ffasr-eval verify .eval_results --evaluators evaluators.yaml --model ffasr/pocketsphinx-en-us
"""

from __future__ import annotations

import argparse
import importlib.metadata
import shutil
import tempfile
from pathlib import Path

import yaml

from ffasr_eval.data import CONDITIONS, build_benchmark
from ffasr_eval.publish import prepare_result, write_result
from ffasr_eval.results import LOGS_DIR, RESULTS_DIR
from ffasr_eval.runner import run_benchmark
from ffasr_eval.signing import EVALUATORS_FILENAME, EvaluatorKey

MODEL = "sphinx/en-us"
#: Hub-style ids the bundled result is bound to (the baseline model and the benchmark it ran on).
MODEL_REPO, BENCHMARK_REPO = "ffasr/pocketsphinx-en-us", "ffasr/far-field-bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="utterances per condition (default 100)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the benchmark and run here (default: temp)")
    parser.add_argument("--write", type=Path, default=None, metavar="DIR",
                        help="sign the run and write .eval_results/, eval_logs/ and evaluators.yaml into DIR")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ffasr-baseline-"))
    bench = workdir / "benchmark"
    if not (bench / "eval.yaml").exists():
        build_benchmark("synth", bench, n_utterances=args.n, seed=0, jobs=2)
    summary = run_benchmark(bench, MODEL, out_dir=workdir / "run", display="none")

    print(f"\n{MODEL} on {args.n} utterances per condition (seed 0), batch size 1, {summary.hardware.profile}")
    print(f"{'task':11s} {'WER %':>7s} {'95% CI':>13s} {'step pp':>8s} {'RTFx':>6s}")
    previous = None
    for task in summary.tasks:
        if task.task_id not in CONDITIONS:
            continue
        step = "" if previous is None or task.task_id == "moving" else f"{100 * (task.value - previous):+8.1f}"
        low, high = task.ci95
        print(f"{task.task_id:11s} {100 * task.value:7.1f} {100 * low:6.1f}–{100 * high:<6.1f} {step:>8s} {task.rtfx:6.1f}")
        if task.task_id != "moving":
            previous = task.value
    print(f"average WER {100 * (summary.average or 0):.1f} %, pooled RTFx {summary.rtfx:.1f}, run folder {workdir / 'run'}")

    if args.write is not None:
        _write(workdir / "run", args.write)


def _write(run_dir: Path, out: Path) -> None:
    key = EvaluatorKey.generate(owner="ffasr-eval-baseline")
    version = importlib.metadata.version("pocketsphinx")
    prepared = prepare_result(run_dir, MODEL_REPO, model_revision=f"pocketsphinx-{version}", key=key,
                              benchmark_repo=BENCHMARK_REPO, submitter="ffasr-eval-baseline")
    shutil.rmtree(out / LOGS_DIR, ignore_errors=True)  # the previous run's logs are no longer signed for
    for path in write_result(prepared, out):
        print(f"wrote {path}")
    registry = {"evaluators": [key.evaluator_entry(role="community", hardware_profile=prepared.payload.hardware.profile)]}
    header = (f"# Public half of the key that signed {RESULTS_DIR}/ (benchmarks/baseline.py). The private half\n"
              "# was generated in memory and discarded: nothing else can be signed with it.\n")
    (out / EVALUATORS_FILENAME).write_text(header + yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")
    print(f"wrote {out / EVALUATORS_FILENAME}")


if __name__ == "__main__":
    main()
