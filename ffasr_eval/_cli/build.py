"""`ffasr-eval build`."""

from __future__ import annotations

import os
from pathlib import Path

import click


@click.command()
@click.option("--source", default="synth", show_default=True,
              help="Clean speech: synth (piper TTS over the bundled corpus), a folder with manifest.csv/"
                   "manifest.jsonl (path,text), or hub:ORG/NAME (a datasets dataset with audio and text).")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Benchmark folder.")
@click.option("--push", metavar="ORG/NAME", help="Upload the folder to this Hub dataset repo (HF_ENDPOINT/HF_TOKEN).")
@click.option("--seed", default=0, show_default=True, help="Same seed and source → byte-identical audio.")
@click.option("--n-utterances", default=100, show_default=True, type=click.IntRange(min=1),
              help="Clean utterances; every condition renders all of them.")
@click.option("--jobs", default=min(2, os.cpu_count() or 1), show_default=True, type=click.IntRange(min=1),
              help="Simulation worker processes.")
@click.option("--conditions", help="Comma-separated subset, e.g. near_field,far_snr5 (default: all).")
@click.option("--audio-column", default="audio", show_default=True, help="hub: source: the audio column.")
@click.option("--text-column", default="text", show_default=True, help="hub: source: the transcript column.")
@click.option("--source-config", help="hub: source: the dataset config (default: the dataset's default).")
@click.option("--source-split", default="test", show_default=True, help="hub: source: the split to read.")
@click.option("--heldout-out", type=click.Path(file_okay=False, path_type=Path),
              help="Also write a private held-out split (split 'heldout') to this folder, for "
                   "`ffasr-eval queue work --heldout`; it is never pushed.")
@click.option("--heldout-fraction", default=0.2, show_default=True, type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Share of the utterances that go to --heldout-out instead of --out.")
def build(source: str, out: Path, push: str | None, seed: int, n_utterances: int, jobs: int,
          conditions: str | None, audio_column: str, text_column: str, source_config: str | None, source_split: str,
          heldout_out: Path | None, heldout_fraction: float) -> None:
    """Build a far-field benchmark dataset repo folder (and optionally push it).

    Writes OUT/eval.yaml, OUT/README.md (dataset card with measured acoustics), OUT/evaluators.yaml
    and OUT/data/<condition>/test-*.parquet for near_field, far_snr20/10/5/0 and moving.

    \b
    Examples:
      ffasr-eval build --source synth --n-utterances 100 --out bench
      ffasr-eval build --source recordings/ --out bench --push ffasr/far-field-bench
      ffasr-eval build --source hub:ffasr/clean-speech --text-column sentence --out bench \\
          --conditions near_field,far_snr5
      ffasr-eval build --n-utterances 500 --out bench --heldout-out private/heldout --heldout-fraction 0.2
    """
    from ffasr_eval.data import build_benchmark, push_benchmark

    report = build_benchmark(source, out, n_utterances=n_utterances, seed=seed, jobs=jobs,
                             conditions=conditions.split(",") if conditions else None,
                             heldout_out=heldout_out, heldout_fraction=heldout_fraction,
                             source_options={"audio_column": audio_column, "text_column": text_column,
                                             "config": source_config, "split": source_split}
                             if source.startswith("hub:") else None)
    click.echo(f"Built {out}: {report.n_utterances} utterances × {len(report.configs)} conditions, "
               f"{report.audio_seconds / 60:.1f} min of audio in total.")
    if report.heldout_dir is not None:
        click.echo(f"Held out {report.n_heldout} utterances in {report.heldout_dir} (keep it private).")
    if report.missing_words:
        click.echo(f"Words missing from the pronouncing dictionary: {', '.join(report.missing_words)}")
    if push:
        sha = push_benchmark(out, push)
        click.echo(f"Pushed to {push} at {sha}.")
