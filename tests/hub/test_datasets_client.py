"""`datasets.load_dataset` of a parquet benchmark with an audio column, served by the embedded Hub."""

from __future__ import annotations

import io

import datasets
import numpy as np
import pytest
import soundfile as sf

CONFIGS = ("near_field", "far_snr5")
README = """---
configs:
- config_name: near_field
  data_files:
  - split: test
    path: data/near_field/test-00000-of-00001.parquet
- config_name: far_snr5
  data_files:
  - split: test
    path: data/far_snr5/test-00000-of-00001.parquet
---
# Tiny far-field benchmark
"""


def _flac(seconds: float, frequency: float) -> bytes:
    t = np.arange(int(16000 * seconds)) / 16000
    buffer = io.BytesIO()
    sf.write(buffer, 0.3 * np.sin(2 * np.pi * frequency * t), 16000, format="FLAC")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def benchmark_repo(make_hub_user, tmp_path_factory):
    user = make_hub_user(orgs=["bench-org"])
    repo_id = "bench-org/tiny-ffasr"
    folder = tmp_path_factory.mktemp("bench")
    expected = {}
    for index, config in enumerate(CONFIGS):
        rows = {"id": [f"{config}-{i}" for i in range(3)],
                "audio": [{"bytes": _flac(0.2 + i / 10, 300 + 100 * index), "path": f"{config}-{i}.flac"}
                          for i in range(3)],
                "text": [f"utterance {i} of {config}" for i in range(3)]}
        table = datasets.Dataset.from_dict(rows).cast_column("audio", datasets.Audio(sampling_rate=16000))
        path = folder / f"data/{config}/test-00000-of-00001.parquet"
        path.parent.mkdir(parents=True)
        table.to_parquet(str(path))
        expected[config] = rows
    (folder / "README.md").write_text(README)
    user.api.create_repo(repo_id, repo_type="dataset")
    user.api.upload_folder(folder_path=folder, repo_id=repo_id, repo_type="dataset")
    return repo_id, expected


@pytest.mark.parametrize("config", CONFIGS)
def test_load_dataset_reads_each_config_with_its_audio(benchmark_repo, config) -> None:
    repo_id, expected = benchmark_repo
    loaded = datasets.load_dataset(repo_id, config, split="test").cast_column("audio", datasets.Audio(decode=False))
    assert isinstance(loaded.features["audio"], datasets.Audio)
    assert loaded["id"] == expected[config]["id"] and loaded["text"] == expected[config]["text"]
    assert [a["bytes"] for a in loaded["audio"]] == [a["bytes"] for a in expected[config]["audio"]]
    audio, rate = sf.read(io.BytesIO(loaded[0]["audio"]["bytes"]))
    assert rate == 16000 and len(audio) == 3200


def test_streaming_load_reads_through_range_requests(benchmark_repo) -> None:
    repo_id, expected = benchmark_repo
    stream = datasets.load_dataset(repo_id, "far_snr5", split="test", streaming=True)
    rows = list(stream.cast_column("audio", datasets.Audio(decode=False)))
    assert [r["id"] for r in rows] == expected["far_snr5"]["id"]

