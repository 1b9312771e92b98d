"""eval.yaml → Inspect AI tasks: one `Task` per eval.yaml task, samples carrying their audio.

A benchmark is a folder (contract: ``eval.yaml`` + ``data/<config>/<split>-*.parquet``) or a Hub
dataset repo, which is downloaded at one commit sha so the samples of two revisions never mix.
Audio is read as bytes and decoded with soundfile (never through `datasets`' torchcodec decoder),
then handed to the model as a WAV `ContentAudio`. Logs are written with ``log_images=False``, so
no audio reaches them.

The registered task ``ffasr_eval/ffasr`` makes every benchmark task runnable by Inspect itself:

    inspect eval ffasr_eval/ffasr -T benchmark=bench/ -T task_id=far_snr5 --model sphinx/en-us
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import soundfile as sf
from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageUser, ContentAudio, ContentText
from inspect_ai.scorer import Scorer
from inspect_ai.solver import Generate, Solver, TaskState, solver

from ffasr_eval.errors import DataError, RunError
from ffasr_eval.providers import audio_data_url
from ffasr_eval.providers._base import SAMPLE_RATE
from ffasr_eval.scorers import SCORERS
from ffasr_eval.spec import EvalSpec, TaskSpec, load_spec

PROMPT = "Transcribe the speech in this audio verbatim."


@dataclass(frozen=True)
class Benchmark:
    """A benchmark opened for evaluation: its spec and where its data is."""

    root: Path
    spec: EvalSpec
    dataset_id: str
    revision: str | None


def open_benchmark(benchmark: str | Path, *, endpoint: str | None = None, token: str | None = None) -> Benchmark:
    """Open a local benchmark folder or download a Hub dataset repo at its current commit.

    Example:
        >>> bench = open_benchmark("bench/")  # doctest: +SKIP
        >>> [t.id for t in bench.spec.tasks][:2]
        ['near_field', 'far_snr20']
    """
    path = Path(benchmark)
    if path.is_dir():
        if not (path / "eval.yaml").is_file():
            raise DataError(f"{path} has no eval.yaml: is it a benchmark folder built by `ffasr-eval build`?")
        return Benchmark(path, load_spec(path / "eval.yaml"), str(benchmark), None)
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

    repo_id = str(benchmark)
    try:
        sha = HfApi(endpoint=endpoint, token=token).dataset_info(repo_id).sha
        root = snapshot_download(repo_id, repo_type="dataset", revision=sha, endpoint=endpoint, token=token)
    except RepositoryNotFoundError as exc:
        raise RunError(f"benchmark '{repo_id}' is neither a local folder nor a dataset repo you can read") from exc
    except HfHubHTTPError as exc:
        raise RunError(f"cannot download benchmark '{repo_id}': {exc}") from exc
    return Benchmark(Path(root), load_spec(Path(root) / "eval.yaml"), repo_id, sha)


def _split_files(bench: Benchmark, spec: TaskSpec) -> list[Path]:
    files = sorted((bench.root / "data" / spec.config).glob(f"{spec.split}-*.parquet"))
    if not files:
        raise DataError(
            f"{bench.dataset_id}: no data for task '{spec.id}' (expected data/{spec.config}/{spec.split}-*.parquet)"
        )
    return files


def _wav_bytes(flac: bytes | None) -> tuple[bytes, float]:
    """Re-encode stored audio as 16-bit WAV; returns (bytes, duration in seconds)."""
    if not flac:
        raise ValueError("no audio bytes")
    audio, rate = sf.read(io.BytesIO(flac), dtype="int16", always_2d=True)
    if rate != SAMPLE_RATE:
        raise ValueError(f"audio is {rate} Hz, expected {SAMPLE_RATE} Hz")
    buffer = io.BytesIO()
    sf.write(buffer, audio.mean(axis=1).astype(np.int16), SAMPLE_RATE, format="WAV", subtype="PCM_16")
    return buffer.getvalue(), len(audio) / SAMPLE_RATE


def load_samples(bench: Benchmark, spec: TaskSpec, *, limit: int | None = None) -> list[Sample]:
    """The samples of one task, in the dataset's order.

    A sample whose audio cannot be decoded is kept, with ``metadata["audio_error"]`` set: the
    `transcribe` solver gives it an empty transcript, so it is scored as an error instead of
    crashing the run.
    """
    field = spec.field_spec
    columns = ["id", field.input, field.target, *(m for m in field.metadata if m not in ("id",))]
    samples: list[Sample] = []
    for file in _split_files(bench, spec):
        table = pq.read_table(file)
        missing = [c for c in columns if c not in table.column_names]
        if missing:
            raise DataError(f"{file}: missing column(s) {missing} named by the field_spec of task '{spec.id}'")
        for row in table.select(columns).to_pylist():
            metadata = {key: row[key] for key in field.metadata}
            audio = row[field.input]
            try:
                wav, duration = _wav_bytes(audio.get("bytes") if isinstance(audio, dict) else audio)
                content = [ContentText(text=PROMPT), ContentAudio(audio=audio_data_url(wav), format="wav")]
            except (ValueError, RuntimeError, sf.LibsndfileError) as exc:
                metadata["audio_error"] = f"{file.name}: sample {row['id']}: {exc}"
                duration, content = 0.0, [ContentText(text=PROMPT)]
            metadata["duration_s"] = duration
            samples.append(Sample(id=str(row["id"]), input=[ChatMessageUser(content=content)],
                                  target=str(row[field.target] or ""), metadata=metadata))
            if limit is not None and len(samples) >= limit:
                return samples
    return samples


@solver
def transcribe() -> Solver:
    """Ask the model for the transcript of the sample's audio (one generate call, no chat)."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        if state.metadata.get("audio_error"):
            state.output.completion = ""
            state.completed = True
            return state
        return await generate(state)

    return solve


def _scorers(spec: TaskSpec) -> list[Scorer]:
    return [SCORERS[s.name](**s.args) for s in spec.scorers]


def build_task(bench: Benchmark, spec: TaskSpec, *, limit: int | None = None) -> Task:
    """The Inspect `Task` of one eval.yaml task."""
    return Task(
        name=spec.id,
        dataset=MemoryDataset(load_samples(bench, spec, limit=limit), name=f"{bench.spec.name}/{spec.id}"),
        solver=transcribe(),
        scorer=_scorers(spec),
        metadata={"ffasr_task": spec.id, "config": spec.config, "split": spec.split,
                  "dataset_id": bench.dataset_id, "dataset_revision": bench.revision},
    )


@task
def ffasr(benchmark: str, task_id: str, limit: int | None = None) -> Task:
    """One task of an FFASR benchmark (folder or Hub dataset id), for `inspect eval`."""
    bench = open_benchmark(benchmark)
    return build_task(bench, bench.spec.task(task_id), limit=limit)
