"""Build a benchmark folder: clean speech → every far-field condition → parquet + eval.yaml + card."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import soundfile as sf
from rich.progress import Progress
from scipy.signal import fftconvolve

from ffasr_eval._templates import render_template
from ffasr_eval.data._acoustics import c50_db, drr_db, rt60
from ffasr_eval.data._phonemes import phonemes
from ffasr_eval.data._simulate import CONDITIONS, FS, ROOMS_PER_CONDITION, Condition, make_room, mix_at_snr, \
    moving_reverb, noise, rng_for, source_at
from ffasr_eval.data._sources import Utterance, folder_source, hub_source, synth_source
from ffasr_eval.errors import DataError
from ffasr_eval.spec import spec_for_configs

SPLIT = "test"
#: Split name of the private held-out folder (what `ffasr-eval queue work --heldout` reads).
HELDOUT_SPLIT = "heldout"
#: The first utterances double as babble/diffuse noise talkers, so they are never held out.
BABBLE_TALKERS = 4
TARGET_RMS = 0.05  # about -26 dBFS: every condition at the same level, no clipping


@dataclass
class BuildReport:
    """What `build_benchmark` wrote."""

    out_dir: Path
    configs: list[str]
    #: Utterances in `out_dir` (each rendered in every config).
    n_utterances: int
    #: Audio written to both folders, all configs.
    audio_seconds: float
    missing_words: list[str] = field(default_factory=list)
    heldout_dir: Path | None = None
    n_heldout: int = 0


def _flac(audio: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.clip(audio, -1, 1).astype(np.float32), FS, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


def _simulate(condition: Condition, clean: np.ndarray, index: int, seed: int,
              babble: list[np.ndarray]) -> tuple[np.ndarray, dict[str, Any]]:
    rng = rng_for(seed, condition.scene_key, "utterance", index)
    tail_seed = (seed, zlib.crc32(condition.scene_key.encode()), index)
    room = make_room(condition, seed, index % ROOMS_PER_CONDITION)
    distance = float(rng.uniform(*condition.distance_m))
    source = source_at(room, distance, rng)
    speed = float(rng.uniform(*condition.speed_mps))
    if speed > 0:
        heading = rng.uniform(0, 2 * np.pi)
        travel = speed * len(clean) / FS
        end = (source[0] + travel * np.cos(heading), source[1] + travel * np.sin(heading), source[2])
        if not all(0.3 < p < d - 0.3 for p, d in zip(end[:2], room.dims[:2], strict=True)):
            end = (source[0] - travel * np.cos(heading), source[1] - travel * np.sin(heading), source[2])
        end = tuple(float(np.clip(p, 0.3, d - 0.3)) for p, d in zip(end, room.dims, strict=True))
        reverberant, rirs = moving_reverb(clean, room, source, end, tail_seed)  # type: ignore[arg-type]
        rir = rirs[0]
    else:
        rir = room.rir(source, tail_seed)
        reverberant = fftconvolve(clean, rir)
    noise_type = condition.noise_types[index % len(condition.noise_types)] if condition.noise_types else None
    if condition.snr_db is not None and noise_type:
        talkers = [audio for talker, audio in enumerate(babble) if talker != index]  # never the utterance itself
        reverberant = mix_at_snr(reverberant, noise(noise_type, len(reverberant), rng, talkers, room), condition.snr_db)
    audio = reverberant * TARGET_RMS / (np.sqrt(np.mean(reverberant**2)) + 1e-12)
    metadata = {
        "room_dims": list(room.dims), "source_pos": list(source), "mic_pos": list(room.mic),
        "distance_m": distance, "rt60_target_s": room.rt60_target, "rt60_measured_s": rt60(rir, FS),
        "drr_db": drr_db(rir, FS), "c50_db": c50_db(rir, FS), "snr_db": condition.snr_db,
        "noise_type": noise_type, "source_speed_mps": speed,
    }
    return audio, metadata


def _rows(job: tuple[str, list[tuple[int, Utterance]], int, list[np.ndarray]]) -> list[dict[str, Any]]:
    name, utterances, seed, babble = job
    rows = []
    for index, utterance in utterances:
        audio, metadata = _simulate(CONDITIONS[name], utterance.audio, index, seed, babble)
        arpabet, ipa, _ = phonemes(utterance.text)
        rows.append({"id": f"{name}-{utterance.id}", "audio": {"bytes": _flac(audio), "path": f"{utterance.id}.flac"},
                     "text": utterance.text, "phonemes": arpabet, "phonemes_ipa": ipa,
                     "duration_s": len(audio) / FS, "speaker": utterance.speaker, "condition": name, **metadata})
    return rows


def _write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    from datasets import Audio, Features, Sequence as HFSequence, Value

    features = Features({
        "id": Value("string"), "audio": Audio(sampling_rate=FS), "text": Value("string"),
        "phonemes": Value("string"), "phonemes_ipa": Value("string"), "duration_s": Value("float64"),
        "speaker": Value("string"), "condition": Value("string"), "room_dims": HFSequence(Value("float64")),
        "source_pos": HFSequence(Value("float64")), "mic_pos": HFSequence(Value("float64")),
        "distance_m": Value("float64"), "rt60_target_s": Value("float64"), "rt60_measured_s": Value("float64"),
        "drr_db": Value("float64"), "c50_db": Value("float64"), "snr_db": Value("float64"),
        "noise_type": Value("string"), "source_speed_mps": Value("float64"),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    # pyarrow with the features in the schema metadata: `datasets` sees an Audio column, and no
    # audio encoder (torchcodec) is needed to write the FLAC bytes we already have.
    pq.write_table(pa.Table.from_pylist(rows, schema=features.arrow_schema), path)


def _source(source: str, n: int, seed: int, options: Mapping[str, str]) -> Iterable[Utterance]:
    if source == "synth":
        return synth_source(n, seed)
    if source.startswith("hub:"):
        return hub_source(source[4:], n, **options)
    if Path(source).is_dir():
        return folder_source(Path(source), n)
    raise DataError(f"unknown source '{source}': use synth, a folder with manifest.csv/jsonl, or hub:ORG/NAME")


def _stats(values: Sequence[float | None]) -> str:
    numbers = [v for v in values if v is not None]
    return f"{np.mean(numbers):.2f} ({min(numbers):.2f}–{max(numbers):.2f})" if numbers else "—"


def _heldout_indices(n: int, fraction: float, seed: int) -> list[int]:
    """A seeded choice of round(fraction·n) utterances, never one of the babble talkers."""
    if not 0 < fraction < 1:
        raise DataError(f"heldout_fraction must be between 0 and 1 (exclusive), got {fraction}")
    count = max(1, round(fraction * n))
    candidates = n - BABBLE_TALKERS
    if count > candidates:
        raise DataError(f"a held-out split of {count} utterance(s) needs at least {count + BABBLE_TALKERS} utterances "
                        f"(the first {BABBLE_TALKERS} are public babble talkers), got {n}: raise --n-utterances")
    chosen = rng_for(seed, "heldout").choice(candidates, size=count, replace=False) + BABBLE_TALKERS
    return sorted(int(i) for i in chosen)


def build_benchmark(source: str, out_dir: str | Path, *, n_utterances: int, seed: int = 0,
                    conditions: Sequence[str] | None = None, jobs: int = 1, progress: bool = True,
                    name: str = "FFASR", heldout_out: str | Path | None = None,
                    heldout_fraction: float = 0.2, source_options: Mapping[str, str] | None = None) -> BuildReport:
    """Build a benchmark folder (eval.yaml, README card, evaluators.yaml, parquet per condition).

    Args:
        source: ``synth``, a folder with ``manifest.csv``/``manifest.jsonl``, or ``hub:ORG/NAME``.
        out_dir: Folder to write (created).
        n_utterances: Clean utterances; every condition uses all of them.
        seed: Same seed and source → byte-identical audio, whatever `jobs` is.
        conditions: Subset of `CONDITIONS` (default: all).
        jobs: Worker processes for the simulation.
        progress: Show progress bars.
        name: Benchmark name in eval.yaml.
        heldout_out: If given, a seeded `heldout_fraction` of the utterances goes to this folder
            (split ``heldout``, for the official queue's ``--heldout``) instead of `out_dir`. Every
            utterance is rendered the same whichever folder it lands in, and held-out speech is
            never used as babble noise in public audio.
        heldout_fraction: Share of the utterances held out.
        source_options: For ``hub:`` sources, `hub_source` keywords: ``config``, ``split``,
            ``audio_column``, ``text_column``.

    Raises:
        DataError: On an unknown source or condition, a broken source file, or a held-out
            fraction that leaves either folder empty.

    Example:
        >>> build_benchmark("synth", "bench", n_utterances=20)  # doctest: +SKIP
    """
    names = list(conditions or CONDITIONS)
    unknown = [c for c in names if c not in CONDITIONS]
    if unknown:
        raise DataError(f"unknown condition(s) {unknown}; known: {list(CONDITIONS)}")
    if heldout_out is not None:
        _heldout_indices(n_utterances, heldout_fraction, seed)  # refuse a bad split before synthesizing
    with Progress(disable=not progress) as bar:
        task = bar.add_task("clean speech", total=n_utterances)
        utterances = []
        for utterance in _source(source, n_utterances, seed, source_options or {}):
            utterances.append(utterance)
            bar.advance(task)
        if not utterances:
            raise DataError(f"source '{source}' gave no utterances")
        heldout = _heldout_indices(len(utterances), heldout_fraction, seed) if heldout_out is not None else []
        babble = [u.audio for u in utterances[:BABBLE_TALKERS]]
        indexed = list(enumerate(utterances))
        chunk = max(1, -(-len(indexed) // max(1, jobs)))
        work = [(c, indexed[i: i + chunk], seed, babble) for c in names for i in range(0, len(indexed), chunk)]
        task = bar.add_task("far-field simulation", total=len(work))
        by_condition: dict[str, list[dict[str, Any]]] = {c: [] for c in names}
        with ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else _Serial() as pool:
            for (condition, *_), rows in zip(work, pool.map(_rows, work), strict=True):
                by_condition[condition].extend(rows)
                bar.advance(task)
    held = set(heldout)
    parts = [(Path(out_dir), SPLIT, [i for i in range(len(utterances)) if i not in held])]
    if heldout_out is not None:
        parts.append((Path(heldout_out), HELDOUT_SPLIT, heldout))
    missing: set[str] = set()
    for folder, split, keep in parts:
        missing |= _write_folder(folder, split, {c: [rows[i] for i in keep] for c, rows in by_condition.items()},
                                 [utterances[i] for i in keep], source=source, seed=seed, name=name)
    seconds = sum(r["duration_s"] for rows in by_condition.values() for r in rows)
    return BuildReport(Path(out_dir), names, len(utterances) - len(heldout), seconds, sorted(missing),
                       Path(heldout_out) if heldout_out is not None else None, len(heldout))


def _write_folder(out: Path, split: str, by_condition: dict[str, list[dict[str, Any]]], utterances: list[Utterance],
                  *, source: str, seed: int, name: str) -> set[str]:
    """Write one benchmark folder; returns the words of its utterances missing from the dictionary."""
    names = list(by_condition)
    for condition, rows in by_condition.items():
        _write_parquet(rows, out / "data" / condition / f"{split}-00000-of-00001.parquet")
    spec = spec_for_configs(names, name=name, split=split)
    spec.dump(out / "eval.yaml")
    if split == SPLIT:
        (out / "evaluators.yaml").write_text("# Trusted evaluator keys (ffasr-eval keys show prints an entry).\n"
                                             "evaluators: []\n", encoding="utf-8")
    missing = {w for u in utterances for w in phonemes(u.text)[2]}
    table = [{"name": c, "description": CONDITIONS[c].description, "n": len(rows),
              **{key: _stats([r[key] for r in rows]) for key in
                 ("distance_m", "rt60_measured_s", "drr_db", "c50_db", "snr_db", "source_speed_mps")}}
             for c, rows in by_condition.items()]
    card = render_template("dataset_card.md", DataError, name=name, configs=names, split=split, table=table,
                           n_utterances=len(utterances), source=source, seed=seed,
                           missing=sorted(missing), tasks=[t.id for t in spec.tasks], heldout=split == HELDOUT_SPLIT)
    (out / "README.md").write_text(card, encoding="utf-8")
    return missing


class _Serial:
    """The executor interface, in this process (jobs=1)."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn, items):  # type: ignore[no-untyped-def]
        return map(fn, items)


def push_benchmark(out_dir: str | Path, repo_id: str, *, endpoint: str | None = None, token: str | None = None,
                   private: bool = False) -> str:
    """Create the dataset repo if needed and upload the benchmark folder; returns the commit sha."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint, token=token)
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    return api.upload_folder(folder_path=str(out_dir), repo_id=repo_id, repo_type="dataset",
                             commit_message="Build FFASR benchmark with ffasr-eval").oid
