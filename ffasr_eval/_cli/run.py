"""`ffasr-eval run` and `ffasr-eval rescore`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ffasr_eval.errors import RunError
from ffasr_eval.summary import RunSummary


def _model_args(pairs: tuple[str, ...]) -> dict[str, str | int | float | bool]:
    parsed: dict[str, str | int | float | bool] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise RunError(f"model arg '{pair}' must be KEY=VALUE, e.g. -M lw=9 or -M device=cuda")
        value: str | int | float | bool = raw
        for convert in (int, float):
            try:
                value = convert(raw)
                break
            except ValueError:
                continue
        if raw.lower() in ("true", "false"):
            value = raw.lower() == "true"
        parsed[key] = value
    return parsed


def _show(summary: RunSummary, run_dir: Path) -> None:
    table = Table(title=f"{summary.model.provider}/{summary.model.name} on {summary.benchmark.name}")
    for column in ("task", "metric", "value %", "95% CI", "S/D/I", "n", "failed", "audio s", "RTFx"):
        # Fold rather than truncate: on a narrow terminal every figure stays readable.
        table.add_column(column, justify="left" if column in ("task", "metric") else "right", overflow="fold",
                         no_wrap=column == "task")
    for task in summary.tasks:
        table.add_row(task.task_id, task.primary_metric.upper(), f"{100 * task.value:.2f}",
                      f"{100 * task.ci95[0]:.1f}–{100 * task.ci95[1]:.1f}",
                      f"{task.substitutions}/{task.deletions}/{task.insertions}", str(task.n_samples),
                      str(task.n_failed), f"{task.audio_seconds:.1f}", f"{task.rtfx:.1f}")
    if summary.average is not None:
        table.add_row("average", "WER", f"{100 * summary.average:.2f}", "", "", "", "", "", f"{summary.rtfx:.1f}")
    console = Console()
    console.print(table)
    console.print(f"hardware: {summary.hardware.cpu}, {summary.hardware.cores} cores"
                  f" (profile {summary.hardware.profile or 'none matched'}) · normalizer "
                  f"{summary.normalizer.name}@{summary.normalizer.version} · run folder {run_dir}")


@click.command()
@click.option("--benchmark", required=True, help="Benchmark folder or Hub dataset repo id.")
@click.option("--model", required=True, help="PROVIDER/NAME: sphinx/en-us, sphinx-phone/en-us, hf-asr/<id or path>.")
@click.option("-M", "--model-arg", "model_args", multiple=True, metavar="KEY=VALUE",
              help="Provider option, repeatable (e.g. -M lw=9, -M device=cuda, -M dtype=float16).")
@click.option("--task", "tasks", multiple=True, metavar="ID", help="Run only these tasks (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="Evaluate only the first N samples of each task.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Run folder (default runs/<model>-<time>). Running again into it resumes.")
def run(benchmark: str, model: str, model_args: tuple[str, ...], tasks: tuple[str, ...], limit: int | None,
        out: Path | None) -> None:
    """Evaluate a speech model on a benchmark through Inspect AI.

    One Inspect task per eval.yaml task; batch size 1, one request at a time, warm-up samples
    discarded, RTFx timed inside the provider. Writes OUT/run.json (the summary `submit` signs)
    and OUT/logs/*.eval (raw hypotheses and timing, no audio; open them with `inspect view`).

    \b
    Examples:
      ffasr-eval run --benchmark ffasr/far-field-bench --model sphinx/en-us --out runs/sphinx
      ffasr-eval run --benchmark bench/ --model sphinx/en-us -M lw=9 --limit 20
      ffasr-eval run --benchmark bench/ --model sphinx-phone/en-us --task phonemes
      ffasr-eval run --benchmark bench/ --model hf-asr/openai/whisper-tiny -M device=cuda
    """
    from ffasr_eval.runner import default_run_dir, run_benchmark

    out = out or default_run_dir(model)
    summary = run_benchmark(benchmark, model, limit=limit, out_dir=out, model_args=_model_args(model_args),
                            tasks=tasks or None, display="rich" if sys.stdout.isatty() else "none")
    _show(summary, out)


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--normalizer", help="Normalizer preset to score with instead of the benchmark's (e.g. english@1).")
def rescore(run_dir: Path, normalizer: str | None) -> None:
    """Recompute every score of RUN_DIR from the raw hypotheses in its logs.

    The model is not run again: use it after a normalizer change. Timing and hardware are kept.

    \b
    Example:
      ffasr-eval rescore runs/sphinx --normalizer english@1
    """
    from ffasr_eval.runner import rescore as rescore_run

    _show(rescore_run(run_dir, normalizer), run_dir)
